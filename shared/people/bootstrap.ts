import type { Clock } from '#shared/domain/clock';
import { ConflictError } from '#shared/domain/errors';
import { normalizeEmail } from '#shared/domain/principal';
import type { IdentityProvider } from '#shared/people/identity-provider';
import type { Directory, DirectoryUser } from '#shared/tickets/directory';

/**
 * The desk's first admin. Every other person is added by an admin through the API; the first one
 * cannot be, so the deployer creates them once with their own AWS credentials (`tierdesk
 * bootstrap-admin`; locally `POST /_local/bootstrap-admin`). Once an active admin exists this is
 * refused: from then on access is granted by admins, through the audited API, only.
 */

export interface BootstrapDeps {
  directory: Pick<Directory, 'activeAdmins' | 'getUser' | 'putUser'>;
  identity: IdentityProvider;
  clock: Clock;
}

export interface FirstAdmin {
  email: string;
  name: string;
  timeZone?: string;
}

export const bootstrapAdmin = async (deps: BootstrapDeps, admin: FirstAdmin): Promise<DirectoryUser> => {
  const email = normalizeEmail(admin.email);
  const admins = await deps.directory.activeAdmins();
  if (admins.length > 0) {
    throw new ConflictError(
      `The desk has an active admin already (${admins.map((a) => a.email).join(', ')}): ask them to add you with tierdesk users add.`,
    );
  }
  // The sign-in account first: it tolerates being there already, so a failed run can be repeated,
  // whereas a directory entry written first would make the repeat refuse.
  await deps.identity.createUser(email, admin.name);
  await deps.identity.setGroups(email, 'admin', []);
  const before = await deps.directory.getUser(email);
  return deps.directory.putUser(
    {
      email,
      name: admin.name,
      role: 'admin',
      tiers: [],
      groups: [],
      timeZone: admin.timeZone ?? before?.timeZone ?? 'UTC',
      active: true,
      updatedAt: deps.clock.now().toISOString(),
    },
    before ? before.revision : null,
  );
};
