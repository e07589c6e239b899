import type { output } from 'zod';
import type {
  BulkRedriveBodySchema,
  ExecutionPageSchema,
  JobSchema,
  ListExecutionsQuerySchema,
  OperatorActionResultSchema,
  ReconcileResultSchema,
  RedriveResultSchema,
  TicketExecutionsSchema,
} from '#shared/http/ops-schemas';
import type { ReportSummarySchema, TimeseriesSchema } from '#shared/http/report-schemas';
import type { WorkflowViewSchema } from '#shared/http/schemas';

/** The ops pages' types: the API's own, inferred from its zod schemas (type-only imports). */
export type WorkflowView = output<typeof WorkflowViewSchema>;
export type WorkflowGraph = WorkflowView['graph'];
export type WorkflowStep = WorkflowView['steps'][number];
export type TicketExecutions = output<typeof TicketExecutionsSchema>;
export type ExecutionPage = output<typeof ExecutionPageSchema>;
export type ExecutionItem = ExecutionPage['items'][number];
export type Job = output<typeof JobSchema>;
export type ReconcileResult = output<typeof ReconcileResultSchema>;
export type RedriveResult = output<typeof RedriveResultSchema>;
export type OperatorActionResult = output<typeof OperatorActionResultSchema>;
export type ReportSummary = output<typeof ReportSummarySchema>;
export type Timeseries = output<typeof TimeseriesSchema>;
export type ExecutionStatusFilter = output<typeof ListExecutionsQuerySchema>['status'];
export type IncidentStatus = output<typeof BulkRedriveBodySchema>['status'];
