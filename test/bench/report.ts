/**
 * The benchmark's contract: every part of `npm run bench` returns a {@link Section} of figures,
 * each with its unit and, where the product promises one, its target. A gated figure is
 * deterministic (sizes, counts): it fails the build when it misses. Others (latencies, ratios
 * measured on a shared machine) are reported with PASS/FAIL against their target, not gated.
 */

export type Comparison = '<=' | '>=' | '==';

export interface Target {
  op: Comparison;
  value: number;
}

export interface Figure {
  /** What was measured, e.g. `create-ticket: gzip`. Unique within its section. */
  name: string;
  value: number;
  /** `KiB`, `ms`, `×`, `calls`, `$`, `req/s`, … */
  unit: string;
  target?: Target;
  /** Deterministic and enforced: a miss fails `npm run bench` and `--quick`. */
  gated?: boolean;
  /** A short explanation shown beside the figure. */
  detail?: string;
}

export interface Section {
  /** Stable key in results.json, e.g. `bundles`. */
  id: string;
  title: string;
  /** How it was measured (Markdown), printed above the figures. */
  intro?: string;
  figures: Figure[];
  /** Further Markdown (tables of breakdowns) printed after the figures. */
  notes?: string[];
}

export interface BenchContext {
  /** `--quick`: only the deterministic, gated figures, fast (CI). */
  quick: boolean;
  /** Progress for long parts (stderr; not part of the results). */
  progress: (message: string) => void;
}

/** One part of the benchmark. */
export interface BenchPart {
  id: string;
  /** Whether the part runs under `--quick` (it must then return only fast, deterministic figures). */
  quick: boolean;
  run: (context: BenchContext) => Promise<Section>;
}

export type Verdict = 'PASS' | 'FAIL' | '';

export const meets = (value: number, target: Target): boolean =>
  target.op === '<='
    ? value <= target.value
    : target.op === '>='
      ? value >= target.value
      : value === target.value;

export const verdictOf = (figure: Figure): Verdict =>
  figure.target ? (meets(figure.value, figure.target) ? 'PASS' : 'FAIL') : '';

/** A number as the tables show it: integers as they are, others to a precision that suits their size. */
export const shown = (value: number): string => {
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  const decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
  return String(Number(value.toFixed(decimals)));
};

export const targetText = (target: Target | undefined, unit: string): string =>
  target
    ? `${target.op === '==' ? '=' : target.op === '<=' ? '≤' : '≥'} ${shown(target.value)} ${unit}`.trim()
    : '';

/** Median of numbers (the lower middle for an even count). */
export const median = (values: readonly number[]): number => percentile(values, 0.5);

/** The p-quantile by nearest rank of unsorted numbers. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
};

/** A section as Markdown: intro, the figures with target and verdict, notes. */
export const sectionMarkdown = (section: Section): string => {
  const lines = [`## ${section.title}`, ''];
  if (section.intro) lines.push(section.intro, '');
  if (section.figures.length > 0) {
    lines.push('| figure | value | target | | |', '|---|---:|---|---|---|');
    for (const figure of section.figures) {
      const verdict = verdictOf(figure);
      lines.push(
        `| ${figure.name} | ${shown(figure.value)} ${figure.unit} | ${targetText(figure.target, figure.unit)} | ${verdict}${figure.gated ? ' (gated)' : ''} | ${figure.detail ?? ''} |`,
      );
    }
    lines.push('');
  }
  for (const note of section.notes ?? []) lines.push(note, '');
  return lines.join('\n');
};

/** A Markdown table from a header and rows. */
export const table = (header: readonly string[], rows: readonly (readonly (string | number)[])[]): string =>
  [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(
      (row) => `| ${row.map((cell) => (typeof cell === 'number' ? shown(cell) : cell)).join(' | ')} |`,
    ),
  ].join('\n');

/**
 * The environment for a part's worker process: this one's, without what a local stack started
 * earlier in this process set for itself (the in-process InvokeStore's concurrency switch, which
 * would make the worker's AWS SDK look for a store nobody installed there).
 */
export const workerEnv = (): NodeJS.ProcessEnv => {
  const { AWS_LAMBDA_MAX_CONCURRENCY: _store, ...env } = process.env;
  return env;
};
