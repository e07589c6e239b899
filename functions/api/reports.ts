import { reportRoutes } from '#shared/http/report-routes';
import { reportDepsFromEnv } from '#shared/reports/deps';

/** `GET /reports/summary` and `GET /reports/timeseries` (see `fn` in the route table). */
export const handler = reportRoutes(reportDepsFromEnv());
