import { principalOf } from '#shared/auth/identity';
import { type ReportDeps, reportSummary, reportTimeseries } from '#shared/reports/report-service';
import { ReportQuerySchema, TimeseriesQuerySchema } from './report-schemas.ts';
import { parseQuery } from './request.ts';
import { json } from './responses.ts';
import { routeGroup } from './route-group.ts';

/** The reports' routes (`/reports/…`): one Lambda function, `functions/api/reports.ts`. */
export const reportRoutes = (deps: ReportDeps) =>
  routeGroup({
    'get-report-summary': async (event) =>
      json(200, await reportSummary(deps, principalOf(event), parseQuery(event, ReportQuerySchema))),
    'get-report-timeseries': async (event) =>
      json(200, await reportTimeseries(deps, principalOf(event), parseQuery(event, TimeseriesQuerySchema))),
  });
