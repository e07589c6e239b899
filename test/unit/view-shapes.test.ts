import { describe, expect, it } from 'vitest';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { project, type Shape } from '#shared/http/projection';
import { RequesterTicketSchema, TicketSchema, TimelineEventSchema } from '#shared/http/schemas';
import { REQUESTER_TICKET_SHAPE, TICKET_SHAPE, TIMELINE_EVENT_SHAPE } from '#shared/http/view-shapes';
import { eventView, requesterTicketView, ticketView } from '#shared/http/views';
import type * as z from '#shared/runtime/zod';
import { storedTicket } from '#test/support/fixtures';

/**
 * The views are projections onto the fields their response schemas name (`view-shapes.ts`), so
 * that no handler builds a view schema. These tests hold each shape to its schema, and each view
 * to what parsing with the schema gave.
 */

type Schema = z.ZodMiniType;
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  element?: Schema;
}
const defOf = (schema: Schema) => schema._zod.def as unknown as Def;

/** The shape a zod object schema strips to: its keys in order, nested objects and lists of them. */
const shapeOf = (schema: Schema): Shape =>
  Object.fromEntries(Object.entries(defOf(schema).shape ?? {}).map(([key, field]) => [key, specOf(field)]));

const specOf = (schema: Schema): Shape[string] => {
  let def = defOf(schema);
  while (def.innerType && ['optional', 'nullable', 'default'].includes(def.type)) {
    schema = def.innerType;
    def = defOf(schema);
  }
  if (def.type === 'object') return shapeOf(schema);
  if (def.type === 'array' && def.element && defOf(def.element).type === 'object')
    return [shapeOf(def.element)];
  return true;
};

describe('Module: view-shapes', () => {
  it.each([
    ['TICKET_SHAPE', TICKET_SHAPE, TicketSchema],
    ['REQUESTER_TICKET_SHAPE', REQUESTER_TICKET_SHAPE, RequesterTicketSchema],
    ['TIMELINE_EVENT_SHAPE', TIMELINE_EVENT_SHAPE, TimelineEventSchema],
  ] as const)('%s names what its schema names, in its order', (_name, shape, schema) => {
    // Compared as JSON, so that the order of the keys counts too.
    expect(JSON.stringify(shape)).toBe(JSON.stringify(shapeOf(schema)));
  });
});

/** Every field a ticket can carry is set, with storage-only fields beside them. */
const ticket: Ticket = storedTicket({
  watchers: ['carol@example.com'],
  category: 'network/vpn',
  priorityOverridden: true,
  status: 'resolved',
  assignee: 't1@example.com',
  tags: ['vpn'],
  dueAt: '2026-11-21T10:00:00.000Z',
  vendorId: 'printix',
  pendingReason: 'Which office?',
  resolution: 'Renewed the certificate.',
  resolvedAt: '2026-11-20T12:00:00.000Z',
  closedAt: '2026-11-25T12:00:00.000Z',
  closeReason: 'resolved',
  mergedInto: 43,
  csat: {
    score: 4,
    comment: 'Quick.',
    channel: 'portal',
    firstAt: '2026-11-25T13:00:00.000Z',
    at: '2026-11-25T13:00:00.000Z',
  },
  linkedArticles: ['kb-draft-renew-the-vpn-certificate'],
});

const event = {
  id: '0000000003#001',
  type: 'escalated',
  at: '2026-11-20T12:00:00.000Z',
  actor: 't1@example.com',
  public: false,
  changes: [{ field: 'tier', from: 1, to: 2, internalNote: 'not for the API' }],
  data: { reason: 'needs a specialist', nested: { kept: true } },
  storedOnly: 'x',
} as unknown as TimelineEvent;

describe('Function: ticketView, requesterTicketView, eventView', () => {
  it('gives what parsing with the response schema gave: every field set', () => {
    expect(ticketView(ticket)).toStrictEqual(TicketSchema.parse({ ...ticket, view: 'desk' }));
    expect(requesterTicketView(ticket)).toStrictEqual(
      RequesterTicketSchema.parse({ ...ticket, view: 'requester' }),
    );
    expect(eventView(event)).toStrictEqual(TimelineEventSchema.parse(event));
  });

  it('gives what parsing gave for a young ticket and a comment (optional fields absent)', () => {
    const young = storedTicket();
    expect(ticketView(young)).toStrictEqual(TicketSchema.parse({ ...young, view: 'desk' }));
    expect(requesterTicketView(young)).toStrictEqual(
      RequesterTicketSchema.parse({ ...young, view: 'requester' }),
    );
    const comment: TimelineEvent = {
      id: '0000000002#000',
      type: 'comment',
      at: '2026-11-20T12:00:00.000Z',
      actor: 'alice@example.com',
      public: true,
      body: 'It beeps.',
    };
    expect(eventView(comment)).toStrictEqual(TimelineEventSchema.parse(comment));
  });

  it('leaves out storage-only fields at every level: the csat channel, a change note, the clocks', () => {
    const desk = ticketView(ticket) as Record<string, unknown>;
    expect(desk).not.toHaveProperty('clocks');
    expect(desk).not.toHaveProperty('priorityOverridden');
    expect(desk.csat).not.toHaveProperty('channel');
    expect(eventView(event).changes?.[0]).toStrictEqual({ field: 'tier', from: 1, to: 2 });
    expect(eventView(event)).not.toHaveProperty('storedOnly');
  });

  it('hands a value that is not an object on as it is', () => {
    expect(project({ a: { b: true } }, { a: 'text', c: 1 })).toStrictEqual({ a: 'text' });
    expect(project({ list: [{ b: true }] }, { list: 'text' })).toStrictEqual({ list: 'text' });
  });
});
