import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CognitoIdentityProvider } from '#shared/people/adapters/cognito';
import { USER_POOL_VARIABLE } from '#shared/people/config';
import { peopleDepsFromEnv } from '#shared/people/deps';

/**
 * What the people routes ask of the user pool. There is no Cognito offline, so the SDK client is
 * stubbed and the test reads the requests: the adapter's own logic (which groups to add and
 * remove, an existing account taken as created) is what is under test here.
 */

const cognito = mockClient(CognitoIdentityProviderClient);
const pool = 'eu-central-1_test';
const provider = new CognitoIdentityProvider(
  new CognitoIdentityProviderClient({ region: 'eu-central-1' }),
  pool,
);

beforeEach(() => cognito.reset());

describe('Class: CognitoIdentityProvider', () => {
  it('creates the account by email, invited by mail, and takes an existing one as done', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .resolvesOnce({})
      .rejectsOnce(Object.assign(new Error('exists'), { name: 'UsernameExistsException' }));

    await provider.createUser('ann@example.com', 'Ann');
    await provider.createUser('ann@example.com', 'Ann');

    const [first] = cognito.commandCalls(AdminCreateUserCommand);
    expect(first?.args[0].input).toMatchObject({
      UserPoolId: pool,
      Username: 'ann@example.com',
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(2);
  });

  it("moves the person's desk groups to the directory's, leaving groups of other purposes alone", async () => {
    cognito.on(AdminListGroupsForUserCommand).resolves({
      Groups: [{ GroupName: 'tier1' }, { GroupName: 'tier2' }, { GroupName: 'vpn-users' }],
    });

    await provider.setGroups('ann@example.com', 'agent', [2, 3]);

    const added = cognito
      .commandCalls(AdminAddUserToGroupCommand)
      .map((call) => call.args[0].input.GroupName);
    const removed = cognito
      .commandCalls(AdminRemoveUserFromGroupCommand)
      .map((call) => call.args[0].input.GroupName);
    expect(added).toEqual(['tier3']);
    expect(removed).toEqual(['tier1']);
  });

  it('disables the account of a deactivated person', async () => {
    await provider.disableUser('ann@example.com');
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: pool,
      Username: 'ann@example.com',
    });
  });

  it('passes on any other failure, for the caller to log', async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(provider.createUser('ann@example.com', 'Ann')).rejects.toThrow('denied');
  });
});

describe('Function: peopleDepsFromEnv', () => {
  it("keeps the stack's user pool in step, through a client made on the first write", async () => {
    // Arrange
    cognito.on(AdminCreateUserCommand).resolves({});
    vi.stubEnv(USER_POOL_VARIABLE, pool);
    vi.stubEnv('TABLE_NAME', 'people');
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    try {
      const { identity } = peopleDepsFromEnv();
      expect(cognito.calls()).toHaveLength(0);

      // Act
      await identity.createUser('bo@example.com', 'Bo');
      await identity.disableUser('bo@example.com');

      // Assess
      expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toMatchObject({
        UserPoolId: pool,
        Username: 'bo@example.com',
      });
      expect(cognito.commandCalls(AdminDisableUserCommand)[0]?.args[0].input).toEqual({
        UserPoolId: pool,
        Username: 'bo@example.com',
      });
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
