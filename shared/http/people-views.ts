import { principalOf } from '#shared/auth/identity';
import { type PeopleDeps, setActive } from '#shared/people/people-service';
import type { DirectoryUser } from '#shared/tickets/directory';
import { apiHandler } from './api-handler.ts';
import { PersonPathSchema, PersonSchema } from './people-schemas.ts';
import { parsePath } from './request.ts';
import { etag, json } from './responses.ts';

/** A directory entry as the API shows it, its revision as the ETag. */
export const personResponse = (user: DirectoryUser, statusCode = 200, headers: Record<string, string> = {}) =>
  json(statusCode, PersonSchema.parse(user), { etag: etag(user.revision), ...headers });

/** `POST /admin/users/{email}/deactivate|reactivate`: one handler, two states. */
export const personStateHandler = (deps: PeopleDeps, active: boolean) =>
  apiHandler(async (event) => {
    const { email } = parsePath(event, PersonPathSchema);
    return personResponse(await setActive(deps, principalOf(event), email, active));
  });
