import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { RecordingIdentityProvider } from './adapters/recorder.ts';
import type { PeopleDeps } from './people-service.ts';

/**
 * What the people routes run on. The identity provider is the recorder until the Cognito adapter
 * lands (it needs `@aws-sdk/client-cognito-identity-provider` in the lock file): authorization
 * does not depend on it, since it reads the directory only.
 */
export const peopleDepsFromEnv = (): PeopleDeps => ({
  ...ticketDepsFromEnv(),
  identity: new RecordingIdentityProvider(),
});
