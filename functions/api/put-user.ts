import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { PersonBodySchema, PersonPathSchema } from '#shared/http/people-schemas';
import { personResponse } from '#shared/http/people-views';
import { ifMatchCondition, parseBody, parsePath } from '#shared/http/request';
import { peopleDepsFromEnv } from '#shared/people/deps';
import { type PeopleDeps, putPerson } from '#shared/people/people-service';

/** PUT /admin/users/{email}: creates without If-Match, changes with it (428 without, 412 when stale) */
export const putUser = (deps: PeopleDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { email } = parsePath(event, PersonPathSchema);
    const body = parseBody(event, PersonBodySchema);
    const ifMatch = event.headers['if-match'] === undefined ? undefined : ifMatchCondition(event);
    const { user, created } = await putPerson(deps, principal, email, body, ifMatch);
    return created
      ? personResponse(user, 201, { location: `/admin/users/${encodeURIComponent(email)}` })
      : personResponse(user);
  });

export const handler = putUser(peopleDepsFromEnv());
