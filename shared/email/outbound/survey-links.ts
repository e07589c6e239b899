import { surveyToken } from '#shared/csat/csat-service';
import { csatKeyringFromEnv } from '#shared/csat/keyring';
import type { Ticket } from '#shared/domain/ticket';

/**
 * Signed survey links under the API's address `base`, with the desk's CSAT keyring. The mailer
 * imports this module with its first closing mail (`deps.ts`).
 */
export const surveyLinks = (base: string) => {
  const keyring = csatKeyringFromEnv();
  return async (ticket: Ticket): Promise<string> => `${base}/csat/${await surveyToken(keyring, ticket)}`;
};
