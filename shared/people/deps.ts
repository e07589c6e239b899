import { optionalEnv } from '#shared/runtime/env';
import { loadOnce } from '#shared/runtime/lazy';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { RecordingIdentityProvider } from './adapters/recorder.ts';
import { USER_POOL_VARIABLE } from './config.ts';
import type { IdentityProvider } from './identity-provider.ts';
import type { PeopleDeps } from './people-service.ts';

/**
 * What the people routes run on: on AWS the user pool named by the stack is kept in step; locally
 * (no pool) the recorder stands in. Authorization does not depend on either: it reads the directory.
 */
export const peopleDepsFromEnv = (): PeopleDeps => {
  const userPoolId = optionalEnv(USER_POOL_VARIABLE);
  return {
    ...ticketDepsFromEnv(),
    identity: userPoolId ? userPool(userPoolId) : new RecordingIdentityProvider(),
  };
};

/**
 * The user pool, kept in step on the writes that change who may sign in. Listing and reading the
 * directory (what the people page opens with) never touch it, so the Cognito client is a chunk
 * loaded on the first such write.
 */
const userPool = (userPoolId: string): IdentityProvider => {
  const provider = loadOnce(async () => (await import('./adapters/cognito.ts')).cognitoUserPool(userPoolId));
  return {
    createUser: async (email, name) => (await provider()).createUser(email, name),
    disableUser: async (email) => (await provider()).disableUser(email),
    enableUser: async (email) => (await provider()).enableUser(email),
    setGroups: async (email, role, tiers) => (await provider()).setGroups(email, role, tiers),
  };
};
