import type * as z from 'zod';
import type { ChangeResultSchema } from '#shared/http/config-schemas';

/** What the commands print: tables for people, JSON for scripts (`--json`), diffs of the configuration. */

type ItemChange = z.infer<typeof ChangeResultSchema>['changes'][number];

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
}

/** A plain table: an upper-case header, columns padded to their widest cell, two spaces apart. */
export const formatTable = <Row>(rows: readonly Row[], columns: readonly Column<Row>[]): string => {
  const cells = [columns.map((column) => column.header.toUpperCase())].concat(
    rows.map((row) => columns.map((column) => column.value(row))),
  );
  const widths = columns.map((_, index) => Math.max(...cells.map((line) => (line[index] ?? '').length)));
  return cells
    .map((line) =>
      line
        .map((cell, index) => (index === line.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const MAX_VALUE = 100;

/** A text cut to at most `max` characters, an ellipsis marking the cut. */
export const clip = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** An instant to the minute, in UTC (`2026-11-24 10:00Z`); `-` when there is none. */
export const formatInstant = (iso: string | undefined): string =>
  iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z` : '-';

/** A value as one readable line: strings as they are, the rest as compact JSON, long ones cut. */
const formatValue = (value: unknown): string => {
  if (value === undefined) return '(none)';
  return clip(typeof value === 'string' ? value : JSON.stringify(value), MAX_VALUE);
};

const MARK = { added: '+', removed: '-', changed: '~' } as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A list compares whole (holidays, addresses): shown as the entries it gained and lost. */
const listLines = (before: readonly unknown[], after: readonly unknown[]): string[] => {
  const keys = (list: readonly unknown[]) => new Set(list.map((entry) => JSON.stringify(entry)));
  const [had, has] = [keys(before), keys(after)];
  const gained = after.filter((entry) => !had.has(JSON.stringify(entry)));
  const lost = before.filter((entry) => !has.has(JSON.stringify(entry)));
  if (gained.length === 0 && lost.length === 0) return ['      (the same entries, in another order)'];
  return [
    ...lost.map((entry) => `      - ${formatValue(entry)}`),
    ...gained.map((entry) => `      + ${formatValue(entry)}`),
  ];
};

/** An added or removed item comes as one field, the whole item: shown key by key. */
const fieldLines = (change: ItemChange): string[] =>
  change.fields.flatMap(({ field, before, after }) => {
    if (field === '' && change.change !== 'changed') {
      const item = change.change === 'added' ? after : before;
      if (isObject(item))
        return Object.entries(item).map(([key, value]) => `    ${key}: ${formatValue(value)}`);
      return [`    ${formatValue(item)}`];
    }
    const name = field || change.id;
    if (Array.isArray(before) && Array.isArray(after)) return [`    ${name}:`, ...listLines(before, after)];
    if (before === undefined) return [`    ${name}: + ${formatValue(after)}`];
    if (after === undefined) return [`    ${name}: - ${formatValue(before)}`];
    return [`    ${name}: ${formatValue(before)} → ${formatValue(after)}`];
  });

/** The changes as a readable diff: `~ settings`, `+ groups/field-service`, then field before → after. */
export const formatChanges = (changes: readonly ItemChange[]): string =>
  changes
    .flatMap((change) => [
      `${MARK[change.change]} ${change.id === change.kind ? change.kind : `${change.kind}/${change.id}`} (${change.change})`,
      ...fieldLines(change),
    ])
    .join('\n');

/** One line for an audit record or a result: how many items changed, and which. */
export const summarizeChanges = (changes: readonly ItemChange[]): string => {
  if (changes.length === 0) return 'no changes';
  const names = changes.map(
    (change) =>
      `${MARK[change.change]}${change.id === change.kind ? change.kind : `${change.kind}/${change.id}`}`,
  );
  const shown = names.slice(0, 4).join(' ');
  return `${changes.length} item${changes.length === 1 ? '' : 's'}: ${shown}${names.length > 4 ? ` …+${names.length - 4}` : ''}`;
};
