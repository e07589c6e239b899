import { personStateHandler } from '#shared/http/people-views';
import { peopleDepsFromEnv } from '#shared/people/deps';
import type { PeopleDeps } from '#shared/people/people-service';

/** POST /admin/users/{email}/deactivate (idempotent; their tickets stay until reassigned) */
export const deactivateUser = (deps: PeopleDeps) => personStateHandler(deps, false);

export const handler = deactivateUser(peopleDepsFromEnv());
