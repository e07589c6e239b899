import { type Command, InvalidArgumentError, Option } from 'commander';
import type * as z from 'zod';
import {
  type ReportSummarySchema,
  TimeseriesQuerySchema,
  type TimeseriesSchema,
} from '#shared/http/report-schemas';
import { TIER_CHOICES, ticketNumber } from './arguments.ts';
import { connect, say } from './context.ts';
import { CliError } from './errors.ts';
import { queryOf } from './http.ts';
import { formatTable, printJson } from './output.ts';

/**
 * `tierdesk report` (supervisors, admins): the service-level figures over a range of days, as the
 * stream processor keeps them; and `tierdesk csat`, a requester's answer to a closed ticket's survey.
 */

type Summary = z.infer<typeof ReportSummarySchema>;
type Timeseries = z.infer<typeof TimeseriesSchema>;

interface ReportOptions {
  from?: string;
  to?: string;
  tier?: string;
  group?: string;
  priority?: string;
  timeseries?: string;
  interval: string;
}

const PRIORITIES = TimeseriesQuerySchema.shape.priority.def.innerType.options;
const INTERVALS = TimeseriesQuerySchema.shape.interval.def.innerType.options;
const HOUR_MS = 3_600_000;

const day = (value: string): string => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new InvalidArgumentError('give a day, yyyy-mm-dd.');
  return value;
};

const percent = (ratio: number | null): string =>
  ratio === null ? '-' : `${Math.round(ratio * 1000) / 10}%`;
const hours = (ms: number | null): string => (ms === null ? '-' : (ms / HOUR_MS).toFixed(1));

/** `firstResponse` → `first response`, `first_response` → `first response`. */
const words = (name: string): string =>
  name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();

const rows = (entries: [string, string][]) =>
  formatTable(entries, [
    { header: 'figure', value: ([name]) => name },
    { header: 'value', value: ([, value]) => value },
  ]);

const printSummary = (summary: Summary) => {
  const filter = Object.entries(summary.filter).map(([name, value]) => `${name} ${value}`);
  say(
    `Service report ${summary.from} to ${summary.to} (${summary.timeZone})${filter.length ? `, ${filter.join(', ')}` : ''}`,
  );
  const tickets = summary.tickets as Record<string, number | Record<string, number>>;
  const escalated = (tickets.escalated ?? {}) as Record<string, number>;
  say(
    `\n${rows([
      ...Object.entries(tickets)
        .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
        .map(([name, value]): [string, string] => [words(name), String(value)]),
      ['escalated', `${escalated.manual ?? 0} manual, ${escalated.automatic ?? 0} automatic`],
      ['deflections', String(summary.deflections)],
      ['first-contact resolution rate', percent(summary.rates.firstContactResolution)],
      ['escalation rate', percent(summary.rates.escalation)],
      ['deflection rate', percent(summary.rates.deflection)],
    ])}`,
  );
  say(
    `\nService levels:\n${formatTable(Object.entries(summary.serviceLevels), [
      { header: 'clock', value: ([clock]) => words(clock) },
      { header: 'met', value: ([, level]) => String(level.met) },
      { header: 'breached', value: ([, level]) => String(level.breached) },
      { header: 'achieved', value: ([, level]) => percent(level.achievement) },
    ])}`,
  );
  say(
    `\nBusiness hours (p50/p90 within ${percent(summary.sketchRelativeAccuracy)}):\n${formatTable(
      Object.entries(summary.durations),
      [
        { header: 'duration', value: ([name]) => words(name) },
        { header: 'count', value: ([, duration]) => String(duration.count) },
        { header: 'p50 h', value: ([, duration]) => hours(duration.p50) },
        { header: 'p90 h', value: ([, duration]) => hours(duration.p90) },
      ],
    )}`,
  );
  const { csat } = summary;
  const distribution = Object.entries(csat.distribution)
    .map(([score, count]) => `${score}: ${count}`)
    .join(', ');
  say(
    `\nCSAT: ${csat.responses} answer(s) of ${csat.surveyed} surveyed (${percent(csat.responseRate)}), average ${csat.average === null ? '-' : csat.average.toFixed(2)}; ${distribution}`,
  );
  const quarantined = Object.entries(summary.quarantined);
  if (quarantined.length)
    say(`Mail quarantined: ${quarantined.map(([reason, count]) => `${reason} ${count}`).join(', ')}`);
  if (summary.backlog.length === 0) return say('\nBacklog: no open tickets.');
  const ages = Object.keys(summary.backlog[0]?.ages ?? {});
  say(
    `\nBacklog (open tickets by age, now):\n${formatTable(summary.backlog, [
      { header: 'tier', value: (row) => String(row.tier) },
      { header: 'priority', value: (row) => row.priority },
      ...ages.map((age) => ({
        header: age,
        value: (row: (typeof summary.backlog)[number]) => String(row.ages[age] ?? 0),
      })),
      { header: 'total', value: (row) => String(row.total) },
    ])}`,
  );
};

const report = async (options: ReportOptions, command: Command) => {
  const context = connect(command);
  const filter = {
    from: options.from,
    to: options.to,
    tier: options.tier,
    group: options.group,
    priority: options.priority,
  };
  if (options.timeseries === undefined) {
    const { body } = await context.api.call<Summary>('GET', `/reports/summary${queryOf(filter)}`);
    return context.json ? printJson(body) : printSummary(body);
  }
  const { body } = await context.api.call<Timeseries>(
    'GET',
    `/reports/timeseries${queryOf({ ...filter, metric: options.timeseries, interval: options.interval })}`,
  );
  if (context.json) return printJson(body);
  say(`${body.metric} per ${body.interval}, ${body.from} to ${body.to} (${body.timeZone}):`);
  const quantile = /\.p(50|90)$/.test(body.metric);
  say(
    formatTable(body.points, [
      { header: body.interval, value: (point) => point.period },
      {
        header: quantile ? `${body.metric} h` : body.metric,
        value: (point) => (quantile ? hours(point.value) : String(point.value ?? '-')),
      },
    ]),
  );
};

const csat = async (number: number, score: string, options: { comment?: string }, command: Command) => {
  if (!/^[1-5]$/.test(score))
    throw new CliError(`The score is 1 (not at all satisfied) to 5 (very satisfied); got "${score}".`, [], 2);
  const context = connect(command);
  const { body } = await context.api.call<unknown>('POST', `/tickets/${number}/csat`, {
    body: { score: Number(score), ...(options.comment && { comment: options.comment }) },
  });
  if (context.json) return printJson(body);
  say(
    `Recorded: ${score} of 5 for ticket #${number}${options.comment ? `, "${options.comment}"` : ''}. Thank you.`,
  );
};

export const reportCommands = (program: Command): void => {
  program
    .command('report')
    .description(
      'service-level figures (supervisors, admins): counts, rates, clocks met/breached, p50/p90, CSAT, backlog',
    )
    .option('--from <day>', 'first day, yyyy-mm-dd in the desk time zone (default: 29 days before --to)', day)
    .option('--to <day>', 'last day (default: today)', day)
    .addOption(new Option('--tier <tier>', 'only this tier').choices(TIER_CHOICES))
    .option('--group <group>', 'only this tier group')
    .addOption(new Option('--priority <priority>', 'only this priority').choices(PRIORITIES))
    .option(
      '--timeseries <metric>',
      'one figure per day or week instead: a counter (created, resolved, breached_ola, csat_5, …) or a duration quantile (resolution.p90)',
    )
    .addOption(new Option('--interval <interval>', 'with --timeseries').choices(INTERVALS).default('day'))
    .addHelpText(
      'after',
      `
Examples:
  tierdesk report --from 2026-11-01 --to 2026-11-30 --tier 1
  tierdesk report --timeseries firstResponse.p90 --interval week
Durations are business hours (the desk's calendar); what each figure means: docs/reports.md.`,
    )
    .action(report);

  program
    .command('csat')
    .description("answer a closed ticket's satisfaction survey, as its requester (signed in)")
    .argument('<ticket>', 'the ticket number', ticketNumber)
    .argument('<score>', '1 (not at all satisfied) to 5 (very satisfied)')
    .option('--comment <text>', 'a few words')
    .addHelpText(
      'after',
      '\nOne answer per ticket: a new one within 7 days of the first replaces it, after that it is refused.',
    )
    .action(csat);
};
