import { optionalEnv, requiredEnv } from '#shared/runtime/env';
import { SecretsManagerClient } from '#shared/runtime/secrets-manager';
import { SecretsManagerKeyring } from './adapters/secrets-manager.ts';
import { CSAT_KEYS_VARIABLE, CSAT_SECRET_VARIABLE } from './config.ts';
import { type CsatKey, type CsatKeyring, staticKeyring } from './survey-link.ts';

/** The desk's CSAT keyring, from where `config.ts` says the keys are. */
export const csatKeyringFromEnv = (): CsatKeyring => {
  const secret = optionalEnv(CSAT_SECRET_VARIABLE);
  if (secret) return new SecretsManagerKeyring(new SecretsManagerClient({}), secret);
  const keys = JSON.parse(requiredEnv(CSAT_KEYS_VARIABLE)) as { id: string; secret: string }[];
  return staticKeyring(
    keys.map((key): CsatKey => ({ id: key.id, secret: Buffer.from(key.secret, 'base64') })),
  );
};
