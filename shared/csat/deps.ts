import { ticketDepsFromEnv } from '#shared/tickets/deps';
import type { CsatDeps } from './csat-service.ts';
import { csatKeyringFromEnv } from './keyring.ts';

/** What the survey's function runs on, wired from the environment. */
export const csatDepsFromEnv = () => {
  const tickets = ticketDepsFromEnv();
  return { tickets, keyring: csatKeyringFromEnv() } satisfies CsatDeps;
};
