import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { optionalEnv } from '#shared/runtime/env';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { CognitoIdentityProvider } from './adapters/cognito.ts';
import { RecordingIdentityProvider } from './adapters/recorder.ts';
import { USER_POOL_VARIABLE } from './config.ts';
import type { PeopleDeps } from './people-service.ts';

/**
 * What the people routes run on: on AWS the user pool named by the stack is kept in step; locally
 * (no pool) the recorder stands in. Authorization does not depend on either: it reads the directory.
 */
export const peopleDepsFromEnv = (): PeopleDeps => {
  const userPoolId = optionalEnv(USER_POOL_VARIABLE);
  return {
    ...ticketDepsFromEnv(),
    identity: userPoolId
      ? new CognitoIdentityProvider(new CognitoIdentityProviderClient({}), userPoolId)
      : new RecordingIdentityProvider(),
  };
};
