import { personStateHandler } from '#shared/http/people-views';
import { peopleDepsFromEnv } from '#shared/people/deps';
import type { PeopleDeps } from '#shared/people/people-service';

/** POST /admin/users/{email}/reactivate (idempotent) */
export const reactivateUser = (deps: PeopleDeps) => personStateHandler(deps, true);

export const handler = reactivateUser(peopleDepsFromEnv());
