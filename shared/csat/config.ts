import { requiredEnv } from '#shared/runtime/env';
import { type CsatKey, staticKeyring } from './survey-link.ts';

/**
 * The CSAT keys, as JSON: `[{ "id": "k2", "secret": "<base64>" }, { "id": "k1", … }]`, the
 * current key first, the previous one after it (still verifying the links already sent). The
 * local stack sets a dev key; on AWS they come from the CSAT secret (see docs/operations.md).
 */
export const CSAT_KEYS_VARIABLE = 'TIERDESK_CSAT_KEYS';

export const csatKeyringFromEnv = () => {
  const keys = JSON.parse(requiredEnv(CSAT_KEYS_VARIABLE)) as { id: string; secret: string }[];
  return staticKeyring(
    keys.map((key): CsatKey => ({ id: key.id, secret: Buffer.from(key.secret, 'base64') })),
  );
};
