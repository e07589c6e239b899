import { peopleRoutes } from '#shared/http/people-routes';
import { peopleDepsFromEnv } from '#shared/people/deps';

/** Every `/admin/users…` route (see `fn` in the route table). */
export const handler = peopleRoutes(peopleDepsFromEnv());
