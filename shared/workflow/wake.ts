import type { Ticket } from '#shared/domain/ticket';

/**
 * Which ticket changes matter to its workflow: those that move a phase or a clock. A new clock
 * fact covers the first public reply, requester messages and vendor answers; assignee and
 * priority change who is notified and which targets apply.
 */
const WATCHED_FIELDS = ['status', 'tier', 'priority', 'assignee'] as const;

/**
 * The clock facts a change recorded. Once a ticket has a clock checkpoint, its item carries only
 * the facts of the version that wrote it; before (and on tickets stored before checkpoints) the
 * facts grow by what each change appends.
 */
const newFacts = (before: Ticket, after: Ticket) => {
  const facts = after.clocks?.facts ?? [];
  if (after.version === before.version) return [];
  if (after.clocks?.checkpoint) return facts;
  return facts.slice(before.clocks?.facts?.length ?? 0);
};

export const wakeReasons = (before: Ticket, after: Ticket): string[] => {
  const reasons: string[] = WATCHED_FIELDS.filter((field) => before[field] !== after[field]);
  reasons.push(...newFacts(before, after).map((fact) => fact.type));
  return [...new Set(reasons)];
};

/** Executions are named after the ticket (and its generation), so starting one is idempotent. */
export const executionName = (ticketNumber: number, generation = 0): string =>
  `ticket-${ticketNumber}-g${generation}`;

/** The ticket and generation an execution's name carries (`ticket-42-g1`); undefined for any other name. */
export const parseExecutionName = (
  name: string,
): { ticketNumber: number; generation: number } | undefined => {
  const match = /^ticket-(\d+)-g(\d+)$/.exec(name);
  return match ? { ticketNumber: Number(match[1]), generation: Number(match[2]) } : undefined;
};
