import { csatDepsFromEnv } from '#shared/csat/deps';
import { csatRoutes } from '#shared/http/csat-routes';

/** The survey link's page and form, and `POST /tickets/{number}/csat` (see `fn` in the route table). */
export const handler = csatRoutes(csatDepsFromEnv());
