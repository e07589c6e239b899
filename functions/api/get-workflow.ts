import { principalOf } from '#shared/auth/identity';
import { apiHandler } from '#shared/http/api-handler';
import { parsePath } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { TicketPathSchema } from '#shared/http/schemas';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import type { TicketDeps } from '#shared/tickets/ticket-service';
import { workflowViewDepsFromEnv } from '#shared/workflow/view-deps';
import { ticketWorkflow, type WorkflowViewDeps } from '#shared/workflow/workflow-view';

/** GET /tickets/{number}/workflow — the ticket's lifecycle execution, for its agents. */
export const getWorkflow = (deps: TicketDeps, view: WorkflowViewDeps) =>
  apiHandler(async (event) => {
    const { number } = parsePath(event, TicketPathSchema);
    return json(200, await ticketWorkflow(deps, view, principalOf(event), number));
  });

const deps = ticketDepsFromEnv();
export const handler = getWorkflow(deps, workflowViewDepsFromEnv(deps.clock));
