import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { GROUPS, groupsFor, type Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import type { IdentityProvider } from '#shared/people/identity-provider';

/**
 * The user pool kept in step with the directory. The pool signs people in by email (its username
 * attribute), so a person's username is their address. Only the pool's own groups of the desk
 * (`GROUPS`) are touched: a group someone added by hand for another purpose stays.
 */
export class CognitoIdentityProvider implements IdentityProvider {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async createUser(email: string, name: string): Promise<void> {
    try {
      await this.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: 'email', Value: email },
            { Name: 'email_verified', Value: 'true' },
            { Name: 'name', Value: name },
          ],
          DesiredDeliveryMediums: ['EMAIL'],
        }),
      );
    } catch (error) {
      // Signed up already, or created by an earlier attempt: the account is there, as wanted.
      if ((error as Error).name !== 'UsernameExistsException') throw error;
    }
  }

  async disableUser(email: string): Promise<void> {
    await this.client.send(new AdminDisableUserCommand({ UserPoolId: this.userPoolId, Username: email }));
  }

  async enableUser(email: string): Promise<void> {
    await this.client.send(new AdminEnableUserCommand({ UserPoolId: this.userPoolId, Username: email }));
  }

  async setGroups(email: string, role: Role, tiers: readonly Tier[]): Promise<void> {
    const wanted = new Set<string>(groupsFor(role, tiers));
    const { Groups = [] } = await this.client.send(
      new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: email, Limit: 60 }),
    );
    const current = new Set(
      Groups.map((group) => group.GroupName ?? '').filter((group) =>
        (GROUPS as readonly string[]).includes(group),
      ),
    );
    const target = { UserPoolId: this.userPoolId, Username: email };
    for (const group of wanted) {
      if (!current.has(group))
        await this.client.send(new AdminAddUserToGroupCommand({ ...target, GroupName: group }));
    }
    for (const group of current) {
      if (!wanted.has(group)) {
        await this.client.send(new AdminRemoveUserFromGroupCommand({ ...target, GroupName: group }));
      }
    }
  }
}

/** The stack's user pool with a client of its own (loaded on first use, see `people/deps.ts`). */
export const cognitoUserPool = (userPoolId: string): IdentityProvider =>
  new CognitoIdentityProvider(new CognitoIdentityProviderClient({}), userPoolId);
