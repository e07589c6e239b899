import type { TimelineEvent } from '#shared/domain/timeline';
import type { Cell, CellDelta } from './report-facts.ts';

/** The report figures as stored: one cell's counters and sketch bucket counts. */
export interface StoredCell extends Cell {
  counts: Record<string, number>;
  /** Duration → bucket (or `zero`) → count. */
  sketches: Record<string, Map<number | 'zero', number>>;
}

/** What the reports need from the table. */
export interface ReportStore {
  /** The timeline events one version of a ticket wrote (written with it, in one transaction). */
  eventsOf(ticket: number, version: number): Promise<TimelineEvent[]>;
  /**
   * Adds the deltas and marks `source` as counted, in one transaction: false (nothing written)
   * when `source` was counted before.
   */
  add(source: string, deltas: readonly CellDelta[]): Promise<boolean>;
  /** Every cell of the days from `from` to `to` (inclusive, `yyyy-mm-dd`). */
  cells(from: string, to: string): Promise<StoredCell[]>;
}
