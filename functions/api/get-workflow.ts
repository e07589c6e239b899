import { SFNClient } from '@aws-sdk/client-sfn';
import { principalOf } from '#shared/auth/identity';
import { ForbiddenError } from '#shared/domain/errors';
import { isStaffFor } from '#shared/domain/policy';
import { apiHandler } from '#shared/http/api-handler';
import { parsePath } from '#shared/http/request';
import { json } from '#shared/http/responses';
import { TicketPathSchema } from '#shared/http/schemas';
import { documentClient } from '#shared/store/client';
import { ticketDepsFromEnv } from '#shared/tickets/deps';
import { type TicketDeps, visibleTicket } from '#shared/tickets/ticket-service';
import { DynamoWorkflowStore } from '#shared/workflow/adapters/dynamodb';
import { type WorkflowViewDeps, workflowView } from '#shared/workflow/workflow-view';

/** GET /tickets/{number}/workflow — the ticket's lifecycle execution, for its agents. */
export const getWorkflow = (deps: TicketDeps, workflow: WorkflowViewDeps) =>
  apiHandler(async (event) => {
    const principal = principalOf(event);
    const { number } = parsePath(event, TicketPathSchema);
    const ticket = await visibleTicket(deps, principal, number);
    if (!isStaffFor(principal, ticket))
      throw new ForbiddenError('The workflow view is for the agents of the ticket.');
    return json(200, await workflowView(workflow, ticket));
  });

const deps = ticketDepsFromEnv();
export const handler = getWorkflow(deps, {
  sfn: new SFNClient({}),
  stateMachineArn: process.env.WORKFLOW_ARN ?? '',
  workflows: new DynamoWorkflowStore(documentClient(), process.env.TABLE_NAME ?? ''),
  clock: deps.clock,
});
