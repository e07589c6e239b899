import type { Role } from '#shared/domain/principal';
import type { Tier } from '#shared/domain/ticket-fields';
import type { IdentityProvider } from '#shared/people/identity-provider';

/**
 * The local stand-in for Cognito: the local stack signs its own dev tokens, so there is no pool to
 * keep in step. It records what would have been asked of Cognito, for tests and for the curious.
 */
export class RecordingIdentityProvider implements IdentityProvider {
  readonly calls: { call: keyof IdentityProvider; email: string; detail?: unknown }[] = [];

  async createUser(email: string, name: string): Promise<void> {
    this.calls.push({ call: 'createUser', email, detail: name });
  }

  async disableUser(email: string): Promise<void> {
    this.calls.push({ call: 'disableUser', email });
  }

  async enableUser(email: string): Promise<void> {
    this.calls.push({ call: 'enableUser', email });
  }

  async setGroups(email: string, role: Role, tiers: readonly Tier[]): Promise<void> {
    this.calls.push({ call: 'setGroups', email, detail: { role, tiers } });
  }
}
