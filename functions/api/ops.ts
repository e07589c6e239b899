import { opsRoutes } from '#shared/http/ops-routes';
import { opsDepsFromEnv } from '#shared/ops/deps';

/** Every `/ops/…` route: executions, redrive, restart, reconciliation and jobs (see `fn` in the route table). */
export const handler = opsRoutes(opsDepsFromEnv());
