import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CognitoIdentityProvider } from '#shared/people/adapters/cognito';
import { bootstrapAdmin, type FirstAdmin } from '#shared/people/bootstrap';
import { documentClient } from '#shared/store/client';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';

/**
 * `tierdesk bootstrap-admin` on AWS: the one command that runs with the deployer's AWS
 * credentials instead of a token, because there is no admin yet to hold one. It creates the
 * Cognito account (invited by mail, in the `admins` group) and the directory entry, and refuses
 * once an active admin exists. It needs `cognito-idp:AdminCreateUser`, `AdminListGroupsForUser`,
 * `AdminAddUserToGroup` on the pool and `dynamodb:Query`, `GetItem`, `TransactWriteItems` on the
 * table: the deployer has them; the stack's outputs `UserPoolId` and `TableName` name both.
 */

export interface AwsTarget {
  userPoolId: string;
  tableName: string;
  region?: string;
}

export const bootstrapAdminOnAws = async (target: AwsTarget, admin: FirstAdmin) => {
  const cognito = new CognitoIdentityProviderClient({ region: target.region });
  const dynamo = new DynamoDBClient({ region: target.region });
  try {
    return await bootstrapAdmin(
      {
        directory: new DynamoDirectory(documentClient(dynamo), target.tableName),
        identity: new CognitoIdentityProvider(cognito, target.userPoolId),
        clock: { now: () => new Date() },
      },
      admin,
    );
  } finally {
    cognito.destroy();
    dynamo.destroy();
  }
};
