/**
 * Optimistic locking under contention: N writers append a comment to one ticket at once; every
 * write must land (version + N), lost races retried with jitter. DynamoDB Local commits one
 * transaction at a time, so the cost per write is an upper bound of what DynamoDB would show.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { systemClock } from '#shared/domain/clock';
import type { Ticket } from '#shared/domain/ticket';
import { documentClient } from '#shared/store/client';
import { createTableInput } from '#shared/store/table';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import { ticketDraft } from '#test/support/fixtures';
import { type BenchPart, type Figure, table } from '../report.ts';

const WRITERS = [1, 10, 50] as const;

export const contentionPart: BenchPart = {
  id: 'contention',
  quick: false,
  run: async () => {
    const dynamo = await startDynamoDbLocal();
    const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    const rows: (string | number)[][] = [];
    const figures: Figure[] = [];
    try {
      await client.send(new CreateTableCommand(createTableInput('bench')));
      // A generous budget: this measures how contention converges, not when it gives up.
      const store = new DynamoTicketStore(documentClient(client), 'bench', systemClock, {
        retryBudgetMs: 120_000,
      });
      const now = new Date().toISOString();
      const comment = (current: Ticket) => ({
        ticket: current,
        events: [{ type: 'comment' as const, at: now, actor: 'bench@example.com', public: true, body: 'x' }],
      });
      let single = 0;
      for (const writers of WRITERS) {
        const { ticket } = await store.createTicket(ticketDraft(now, { requester: 'bench@example.com' }));
        const start = performance.now();
        await Promise.all(Array.from({ length: writers }, () => store.mutateTicket(ticket.number, comment)));
        const total = performance.now() - start;
        const version = (await store.getTicket(ticket.number))?.version ?? 0;
        const perWrite = total / writers;
        if (writers === 1) single = perWrite;
        rows.push([writers, version - 1, Math.round(total), perWrite, perWrite / single]);
        figures.push({
          name: `${writers} concurrent writers: writes landed`,
          value: version - 1,
          unit: '',
          target: { op: '==', value: writers },
        });
      }
    } finally {
      client.destroy();
      await dynamo.stop();
    }
    return {
      id: 'contention',
      title: 'Concurrent writers on one ticket (optimistic locking, retried with jitter)',
      figures,
      notes: [table(['writers', 'landed', 'total ms', 'ms per write', '× 1 writer'], rows)],
    };
  },
};
