import type { DirectoryUser } from '#shared/tickets/directory';
import { PersonSchema } from './people-schemas.ts';
import { etag, json } from './responses.ts';

/** A directory entry as the API shows it, its revision as the ETag. */
export const personResponse = (user: DirectoryUser, statusCode = 200, headers: Record<string, string> = {}) =>
  json(statusCode, PersonSchema.parse(user), { etag: etag(user.revision), ...headers });
