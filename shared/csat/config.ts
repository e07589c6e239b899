import { optionalEnv } from '#shared/runtime/env';

/**
 * Where the CSAT keys come from. On AWS, `TIERDESK_CSAT_SECRET_ARN` names the Secrets Manager
 * secret (its current and previous versions: see `adapters/secrets-manager.ts`). Locally,
 * `TIERDESK_CSAT_KEYS` holds them as JSON, `[{ "id": "k2", "secret": "<base64>" }, { "id": "k1", … }]`,
 * the current key first, the previous one after it (the local stack sets a dev key).
 */
export const CSAT_SECRET_VARIABLE = 'TIERDESK_CSAT_SECRET_ARN';
export const CSAT_KEYS_VARIABLE = 'TIERDESK_CSAT_KEYS';

/**
 * Whether this function was given CSAT keys (the mailer signs survey links only then); the
 * keyring itself is `keyring.ts`, which a function imports only where it signs or verifies.
 */
export const hasCsatKeys = (): boolean =>
  optionalEnv(CSAT_SECRET_VARIABLE) !== undefined || optionalEnv(CSAT_KEYS_VARIABLE) !== undefined;
