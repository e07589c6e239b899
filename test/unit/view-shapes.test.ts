import { describe, expect, it } from 'vitest';
import { DEMO_STANDARD_POLICY } from '#infra/local/demo/service-levels';
import { slaSummary } from '#shared/domain/sla-summary';
import type { Ticket } from '#shared/domain/ticket';
import type { TimelineEvent } from '#shared/domain/timeline';
import { project, type Shape } from '#shared/http/projection';
import {
  RequesterTicketSchema,
  TicketSchema,
  TicketViewSchema,
  TimelineEventSchema,
} from '#shared/http/schemas';
import { REQUESTER_TICKET_SHAPE, TICKET_SHAPE, TIMELINE_EVENT_SHAPE } from '#shared/http/view-shapes';
import { eventView, requesterTicketView, ticketView } from '#shared/http/views';
import type * as z from '#shared/runtime/zod';
import { everyFieldTicket, storedTicket } from '#test/support/fixtures';

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
  valueType?: Schema;
}
const defOf = (schema: Schema) => schema._zod.def as unknown as Def;

/** Field types whose values go out as they are. */
const LEAVES = new Set(['string', 'number', 'boolean', 'enum', 'literal', 'unknown']);

/** The shape a zod object schema strips to: its keys in order, nested objects and lists of them. */
const shapeOf = (schema: Schema): Shape =>
  Object.fromEntries(Object.entries(defOf(schema).shape ?? {}).map(([key, field]) => [key, specOf(field)]));

const unwrapped = (schema: Schema): Schema => {
  const def = defOf(schema);
  return def.innerType && ['optional', 'nullable', 'default'].includes(def.type)
    ? unwrapped(def.innerType)
    : schema;
};

/**
 * How the projection must treat one field. A type with no rule here fails the test rather than go
 * out whole: a union or a record of objects could carry fields its schema strips.
 */
const specOf = (field: Schema): Shape[string] => {
  const schema = unwrapped(field);
  const def = defOf(schema);
  if (def.type === 'object') return shapeOf(schema);
  if (def.type === 'array' && def.element) {
    const element = unwrapped(def.element);
    if (defOf(element).type === 'object') return [shapeOf(element)];
    if (LEAVES.has(defOf(element).type)) return true;
  }
  if (def.type === 'record' && def.valueType && defOf(def.valueType).type === 'unknown') return true;
  if (LEAVES.has(def.type)) return true;
  throw new Error(`No projection rule for a field of type ${def.type}: teach view-shapes.test.ts one.`);
};

/** Equal as JSON, so that the order of the keys counts too. */
const sameJson = (actual: unknown, expected: unknown) =>
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));

describe('Module: view-shapes', () => {
  it.each([
    ['TICKET_SHAPE', TICKET_SHAPE, TicketSchema],
    ['REQUESTER_TICKET_SHAPE', REQUESTER_TICKET_SHAPE, RequesterTicketSchema],
    ['TIMELINE_EVENT_SHAPE', TIMELINE_EVENT_SHAPE, TimelineEventSchema],
  ] as const)('%s names what its schema names, in its order', (_name, shape, schema) => {
    sameJson(shape, shapeOf(schema));
  });

  it('refuses a field type it has no projection rule for', () => {
    expect(() => specOf(TicketViewSchema)).toThrow(/No projection rule for a field of type union/);
  });
});

/** Every field a ticket can carry is set, with storage-only fields beside them. */
const ticket: Ticket = everyFieldTicket();

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
    sameJson(ticketView(ticket), TicketSchema.parse({ ...ticket, view: 'desk' }));
    sameJson(requesterTicketView(ticket), RequesterTicketSchema.parse({ ...ticket, view: 'requester' }));
    sameJson(eventView(event), TimelineEventSchema.parse(event));
  });

  it('gives what parsing gave for a young ticket and a comment (optional fields absent)', () => {
    const young = storedTicket();
    sameJson(ticketView(young), TicketSchema.parse({ ...young, view: 'desk' }));
    sameJson(requesterTicketView(young), RequesterTicketSchema.parse({ ...young, view: 'requester' }));
    const comment: TimelineEvent = {
      id: '0000000002#000',
      type: 'comment',
      at: '2026-11-20T12:00:00.000Z',
      actor: 'alice@example.com',
      public: true,
      body: 'It beeps.',
    };
    sameJson(eventView(comment), TimelineEventSchema.parse(comment));
  });

  it("gives what parsing gave for the desk's view with its SLA summary", () => {
    const pinned = storedTicket({ clocks: { ...ticket.clocks, policy: DEMO_STANDARD_POLICY } });
    const asOf = new Date(Date.parse(pinned.createdAt) + 60_000);
    const sla = slaSummary(pinned, asOf);
    expect(sla).toBeDefined();
    sameJson(ticketView(pinned, asOf), TicketSchema.parse({ ...pinned, view: 'desk', sla }));
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
