import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { optionalEnv, requiredEnv } from '#shared/runtime/env';
import { SecretsManagerKeyring } from './adapters/secrets-manager.ts';
import { type CsatKey, type CsatKeyring, staticKeyring } from './survey-link.ts';

/**
 * Where the CSAT keys come from. On AWS, `TIERDESK_CSAT_SECRET_ARN` names the Secrets Manager
 * secret (its current and previous versions: see `adapters/secrets-manager.ts`). Locally,
 * `TIERDESK_CSAT_KEYS` holds them as JSON, `[{ "id": "k2", "secret": "<base64>" }, { "id": "k1", … }]`,
 * the current key first, the previous one after it (the local stack sets a dev key).
 */
export const CSAT_SECRET_VARIABLE = 'TIERDESK_CSAT_SECRET_ARN';
export const CSAT_KEYS_VARIABLE = 'TIERDESK_CSAT_KEYS';

/** Whether this function was given CSAT keys (the mailer signs survey links only then). */
export const hasCsatKeys = (): boolean =>
  optionalEnv(CSAT_SECRET_VARIABLE) !== undefined || optionalEnv(CSAT_KEYS_VARIABLE) !== undefined;

export const csatKeyringFromEnv = (): CsatKeyring => {
  const secret = optionalEnv(CSAT_SECRET_VARIABLE);
  if (secret) return new SecretsManagerKeyring(new SecretsManagerClient({}), secret);
  const keys = JSON.parse(requiredEnv(CSAT_KEYS_VARIABLE)) as { id: string; secret: string }[];
  return staticKeyring(
    keys.map((key): CsatKey => ({ id: key.id, secret: Buffer.from(key.secret, 'base64') })),
  );
};
