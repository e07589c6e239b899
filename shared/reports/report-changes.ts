import type { ConfigReader } from '#shared/config/reader';
import type { Ticket } from '#shared/domain/ticket';
import { MetricUnit, metrics } from '#shared/runtime/observability';
import * as z from '#shared/runtime/zod';
import { KB_ENTITY, MAIL_ENTITY, TICKET_ENTITY } from '#shared/store/entities';
import { decodeImage, imageOf, type StreamRecord } from '#shared/store/stream';
import { type CellDelta, dayIn, deskCell, ticketDeltas } from './report-facts.ts';
import type { ReportStore } from './report-store.ts';

/**
 * The reports' side of the table's stream (the stream processor calls it for every record): a
 * ticket's new version adds what its events did to the report cells; a quarantined mail and a
 * deflection add to the desk's cell of their day. Counting is idempotent per record: the counts
 * and a mark naming the record (ticket and version, quarantine or deflection item) are written
 * in one transaction, so a record delivered again, in any order, counts nothing.
 */

export interface ReportChangeDeps {
  reports: ReportStore;
  config: Pick<ConfigReader, 'current'>;
}

/** What of a ticket image the reports read; the rest passes through (clocks are evaluated). */
const TicketImageSchema = /* @__PURE__ */ z.built(() =>
  z.looseObject({
    number: z.int().check(z.positive()),
    version: z.int().check(z.positive()),
    tier: z.int(),
    group: z.string(),
    priority: z.string(),
    channel: z.string(),
    updatedAt: z.string(),
    clocks: z.looseObject({ facts: z.array(z.looseObject({ type: z.string(), at: z.string() })) }),
  }),
);

const QuarantineImageSchema = /* @__PURE__ */ z.built(() =>
  z.looseObject({ at: z.string(), reason: z.string(), sk: z.string() }),
);

const DEFLECTION_MARK = /^KBDEFLECTED#[^#]+#(\d{4}-\d{2}-\d{2})#/;

const ticketIn = (record: StreamRecord, which: 'NewImage' | 'OldImage') =>
  decodeImage(record, which, TICKET_ENTITY.ticket, TicketImageSchema) as Ticket | undefined;

/**
 * The report figures CloudWatch shows (the dashboard's backlog, breaches, FCR and CSAT), as
 * metrics of the counts a ticket version added: published only when they were counted, so a
 * replayed record adds nothing here either. Pure, so it can be checked without CloudWatch.
 */
export const figureMetrics = (deltas: readonly CellDelta[]): [name: string, value: number][] => {
  const figures: [string, number][] = [];
  const total = (name: (counter: string) => boolean) =>
    deltas.reduce(
      (sum, delta) =>
        sum +
        Object.entries(delta.counts)
          .filter(([counter]) => name(counter))
          .reduce((cell, [, amount]) => cell + amount, 0),
      0,
    );
  for (const [metric, counter] of FIGURES) {
    const amount = total((name) => name === counter);
    if (amount > 0) figures.push([metric, amount]);
  }
  const breaches = total((name) => name.startsWith('breached_'));
  if (breaches > 0) figures.push(['ReportBreaches', breaches]);
  // One data point per answer, its score: the average is the CSAT score, the count the answers.
  for (const score of [1, 2, 3, 4, 5]) {
    const answers = total((name) => name === `csat_${score}`);
    for (let i = 0; i < answers; i++) figures.push(['ReportCsatScore', score]);
  }
  return figures;
};

/** Metric name → the counter it publishes. */
const FIGURES = [
  ['ReportCreated', 'created'],
  ['ReportResolved', 'resolved'],
  ['ReportReopened', 'reopened'],
  ['ReportClosed', 'closed'],
  ['ReportFirstContactResolved', 'firstContactResolved'],
] as const;

const publishFigures = (deltas: readonly CellDelta[]): void => {
  for (const [name, value] of figureMetrics(deltas))
    metrics.addMetric(name, name === 'ReportCsatScore' ? MetricUnit.NoUnit : MetricUnit.Count, value);
};

const timeZoneOf = async (deps: ReportChangeDeps) => (await deps.config.current()).document.settings.timeZone;

export const reportChange = async (deps: ReportChangeDeps, record: StreamRecord): Promise<void> => {
  if (record.eventName === 'REMOVE') return;
  const after = ticketIn(record, 'NewImage');
  if (after) {
    const before = record.eventName === 'MODIFY' ? ticketIn(record, 'OldImage') : undefined;
    // A write that did not move the version (none does today) wrote no events.
    if (before && before.version >= after.version) return;
    const events = await deps.reports.eventsOf(after.number, after.version);
    const deltas = ticketDeltas(before, after, events, await timeZoneOf(deps));
    if (await deps.reports.add(`T#${after.number}#${after.version}`, deltas)) publishFigures(deltas);
    return;
  }
  if (record.eventName !== 'INSERT') return;
  const quarantined = decodeImage(record, 'NewImage', MAIL_ENTITY.mailQuarantine, QuarantineImageSchema);
  if (quarantined) {
    const cell = deskCell(dayIn(await timeZoneOf(deps), quarantined.at));
    await deps.reports.add(`Q#${quarantined.sk}`, [
      { cell, counts: { [`quarantined_${quarantined.reason}`]: 1 }, samples: [] },
    ]);
    return;
  }
  const mark = imageOf(record, 'NewImage');
  // A deflection with a ticket is that ticket's self-served resolution, counted with its version.
  if (mark?.entity !== KB_ENTITY.deflectionMark || mark.selfServed === true) return;
  // The mark counts one person × article × day (a UTC day, as the knowledge base dedupes).
  const day = DEFLECTION_MARK.exec(String(mark.pk))?.[1];
  if (!day) return;
  await deps.reports.add(`D#${String(mark.pk)}`, [
    { cell: deskCell(day), counts: { deflections: 1 }, samples: [] },
  ]);
};
