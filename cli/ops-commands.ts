import { type Command, Option } from 'commander';
import type * as z from 'zod';
import type {
  BulkRedriveBodySchema,
  ExecutionPageSchema,
  ListExecutionsQuerySchema,
  OperatorActionResultSchema,
  TicketExecutionsSchema,
} from '#shared/http/ops-schemas';
import { TIER_CHOICES, ticketNumber } from './arguments.ts';
import { type Context, connect, note, say } from './context.ts';
import { CliError } from './errors.ts';
import { queryOf } from './http.ts';
import { followJob, type Job } from './jobs.ts';
import { clip, formatInstant, formatTable, printJson } from './output.ts';

/**
 * `tierdesk executions …` and `tierdesk reconcile`: the ticket workflows as on-call ops see them
 * (role ops, supervisors, admins) — what failed and why, redrive, restart, and the reconciliation
 * that finds and repairs tickets whose workflow is missing, stale or orphaned.
 */

type ExecutionStatus = z.infer<typeof ListExecutionsQuerySchema>['status'];
type IncidentStatus = z.infer<typeof BulkRedriveBodySchema>['status'];
type ExecutionPage = z.infer<typeof ExecutionPageSchema>;
type TicketExecutions = z.infer<typeof TicketExecutionsSchema>;
type ActionResult = z.infer<typeof OperatorActionResultSchema> & { previousStatus?: string };

// Spelled out rather than read from the schemas' values, which would load the ops service on every
// start of the CLI; the types keep the lists true to the API.
const STATUSES: Record<ExecutionStatus, true> = {
  FAILED: true,
  TIMED_OUT: true,
  ABORTED: true,
  RUNNING: true,
  PENDING_REDRIVE: true,
};
const INCIDENT_STATUSES: Record<IncidentStatus, true> = { FAILED: true, TIMED_OUT: true, ABORTED: true };

/** The result of a reconciliation job (`ReconcileReport` of the ops service). */
interface ReconcileResult {
  scanned: { openTickets: number; runningExecutions: number; incidents: number; deadLetters: number };
  found: { missing: number[]; orphaned: number[]; lostWakes: number[]; deadLettered: number[] };
  repaired: { restarted: number[]; woken: number[]; stopped: number[]; incidentsResolved: number };
  repairs: number;
}

/** The result of a bulk redrive job. */
interface RedriveResult {
  matched: number;
  redriven: number[];
  refused: { ticket: number; reason: string }[];
}

/** Exit code of `tierdesk reconcile` when it repaired something: done, but someone should know. */
const REPAIRED_EXIT_CODE = 3;

const tickets = (numbers: readonly number[]): string =>
  numbers.length ? numbers.map((number) => `#${number}`).join(', ') : '';

/** The API names its routes in a problem's way on; at the terminal the command is the way on. */
const asCommands = (text: string): string =>
  text
    .replace(/POST \/ops\/executions\/(\d+)\/restart/g, 'tierdesk executions restart $1')
    .replace(/POST \/ops\/executions\/(\d+)\/redrive/g, 'tierdesk executions redrive $1');

const failure = (item: { error?: string; cause?: string }): string =>
  clip([item.error, item.cause].filter(Boolean).join(': ') || '-', 72);

const list = async (
  options: { status: ExecutionStatus; tier?: string; limit?: string; cursor?: string },
  command: Command,
) => {
  const context = connect(command);
  const { body } = await context.api.call<ExecutionPage>(
    'GET',
    `/ops/executions${queryOf({ status: options.status, tier: options.tier, limit: options.limit, cursor: options.cursor })}`,
  );
  if (context.json) return printJson(body);
  if (body.items.length === 0)
    say(`No ${options.status} executions${options.tier ? ` at Tier ${options.tier}` : ''}.`);
  else
    say(
      formatTable(body.items, [
        { header: 'ticket', value: (item) => `#${item.ticket}` },
        { header: 'tier', value: (item) => String(item.tier) },
        { header: 'status', value: (item) => item.status },
        { header: 'state', value: (item) => item.currentState ?? '-' },
        { header: 'started', value: (item) => formatInstant(item.startedAt) },
        { header: 'stopped', value: (item) => formatInstant(item.stoppedAt) },
        { header: 'error / cause', value: failure },
      ]),
    );
  if (body.nextCursor) {
    const flags = [
      `--status ${options.status}`,
      options.tier && `--tier ${options.tier}`,
      options.limit && `--limit ${options.limit}`,
    ];
    note(`More: tierdesk executions list ${flags.filter(Boolean).join(' ')} --cursor ${body.nextCursor}`);
  }
  if (!context.json && body.items.some((item) => item.status !== 'RUNNING'))
    note('Details: tierdesk executions show <ticket>; then tierdesk executions redrive <ticket>.');
};

const show = async (number: number, _options: unknown, command: Command) => {
  const context = connect(command);
  const { body } = await context.api.call<TicketExecutions>('GET', `/ops/executions/${number}`);
  if (context.json) return printJson(body);
  say(`Ticket #${body.ticket}: Tier ${body.tier}, ${body.ticketStatus}.`);
  if (body.executions.length === 0) say('No workflow execution: tierdesk executions restart starts one.');
  else
    say(
      formatTable(body.executions, [
        { header: 'generation', value: (execution) => String(execution.generation) },
        { header: 'execution', value: (execution) => execution.name },
        { header: 'status', value: (execution) => execution.status },
        { header: 'state', value: (execution) => execution.currentState ?? '-' },
        { header: 'started', value: (execution) => formatInstant(execution.startedAt) },
        { header: 'stopped', value: (execution) => formatInstant(execution.stoppedAt) },
        { header: 'redrives', value: (execution) => String(execution.redriveCount) },
        { header: 'error / cause', value: failure },
      ]),
    );
  say('');
  if (body.incidents.length === 0) return say('No incidents.');
  say('Incidents:');
  say(
    formatTable(body.incidents, [
      { header: 'execution', value: (incident) => incident.execution ?? '-' },
      { header: 'status', value: (incident) => incident.status },
      { header: 'failed in', value: (incident) => incident.failedState ?? '-' },
      { header: 'stopped', value: (incident) => formatInstant(incident.stoppedAt) },
      {
        header: 'resolved',
        value: (incident) =>
          incident.resolved
            ? `${incident.resolved.action} by ${incident.resolved.by}, ${formatInstant(incident.resolved.at)}`
            : 'open',
      },
      { header: 'error / cause', value: failure },
    ]),
  );
};

const printRedrive = (result: RedriveResult) => {
  say(
    `Redrove ${result.redriven.length} of ${result.matched} execution(s)${result.redriven.length ? `: ${tickets(result.redriven)}` : ''}.`,
  );
  for (const { ticket, reason } of result.refused) say(`  #${ticket} refused: ${asCommands(reason)}`);
};

const redriveAll = async (
  options: { status?: IncidentStatus; tier?: string; since?: string },
  context: Context,
) => {
  if (!options.status)
    throw new CliError(
      '--all needs --status FAILED, TIMED_OUT or ABORTED: which failures to redrive.',
      [],
      2,
    );
  let since: string | undefined;
  if (options.since) {
    const at = new Date(
      /^\d{4}-\d{2}-\d{2}$/.test(options.since) ? `${options.since}T00:00:00Z` : options.since,
    );
    if (Number.isNaN(at.getTime()))
      throw new CliError(
        `--since "${options.since}" is not an instant: give e.g. 2026-11-24 or 2026-11-24T10:00:00Z.`,
        [],
        2,
      );
    since = at.toISOString();
  }
  const body = { status: options.status, tier: options.tier && Number(options.tier), since };
  const { body: requested } = await context.api.call<Job>('POST', '/ops/executions/redrive', { body });
  const job = await followJob(context, requested, 'Bulk redrive');
  const result = job.result as unknown as RedriveResult;
  if (context.json) printJson(job);
  else printRedrive(result);
  if (result.refused.length > 0) {
    if (!context.json)
      note('Refused ones: tierdesk executions show <ticket>, then restart what cannot be redriven.');
    process.exitCode = 1;
  }
};

const redrive = async (
  ticket: number | undefined,
  options: { all?: boolean; status?: IncidentStatus; tier?: string; since?: string; reason?: string },
  command: Command,
) => {
  const context = connect(command);
  if (options.all) {
    if (ticket !== undefined) throw new CliError('Give a ticket or --all, not both.', [], 2);
    if (options.reason)
      throw new CliError('--reason is for one ticket; a bulk redrive is audited as its job.', [], 2);
    return redriveAll(options, context);
  }
  if (ticket === undefined)
    throw new CliError('Give the ticket to redrive, or --all --status FAILED for every failure.', [], 2);
  if (options.status || options.tier || options.since)
    throw new CliError('--status, --tier and --since go with --all.', [], 2);
  const reply = await context.api.call<ActionResult | { detail?: string; status: number }>(
    'POST',
    `/ops/executions/${ticket}/redrive`,
    { body: options.reason ? { reason: options.reason } : {}, accept: [409] },
  );
  if (reply.status === 409) {
    const detail = (reply.body as { detail?: string }).detail ?? 'the workflow cannot be redriven.';
    // The API names the restart route when a restart is the way on; a running workflow needs neither.
    const running = /is (RUNNING|PENDING_REDRIVE)/.test(detail);
    throw new CliError(
      `Cannot redrive #${ticket}: ${asCommands(detail)}${running ? ` tierdesk executions show ${ticket} shows where it waits.` : ''}`,
    );
  }
  const result = reply.body as ActionResult;
  if (context.json) return printJson(result);
  say(
    `Redriven: #${ticket}'s workflow ${result.execution}${result.previousStatus ? ` (was ${result.previousStatus})` : ''} goes on from the state that failed.`,
  );
};

const restart = async (ticket: number, options: { reason?: string }, command: Command) => {
  const context = connect(command);
  const { body } = await context.api.call<ActionResult>('POST', `/ops/executions/${ticket}/restart`, {
    body: options.reason ? { reason: options.reason } : {},
  });
  if (context.json) return printJson(body);
  say(`Restarted: #${ticket} has a new workflow, ${body.execution}, from the ticket as it is now.`);
};

const printReconciliation = (result: ReconcileResult) => {
  const { scanned, found, repaired } = result;
  say(
    `Scanned ${scanned.openTickets} open ticket(s), ${scanned.runningExecutions} running execution(s), ${scanned.incidents} incident(s), ${scanned.deadLetters} dead letter(s).`,
  );
  const findings = [
    ['without a running workflow', found.missing],
    ['closed with a workflow still running', found.orphaned],
    ['with a lost wake-up', found.lostWakes],
    ['with a dead-lettered stream record', found.deadLettered],
  ] as const;
  const anything = findings.some(([, numbers]) => numbers.length > 0);
  if (!anything && result.repairs === 0) return say('Nothing needed repair.');
  say('Found:');
  for (const [what, numbers] of findings)
    if (numbers.length) say(`  ${numbers.length} ${what}: ${tickets(numbers)}`);
  const repairs = [
    ['restarted', repaired.restarted],
    ['woken', repaired.woken],
    ['stopped', repaired.stopped],
  ] as const;
  say(`Repaired ${result.repairs}:`);
  for (const [what, numbers] of repairs) if (numbers.length) say(`  ${what}: ${tickets(numbers)}`);
  if (repaired.incidentsResolved) say(`  incidents resolved: ${repaired.incidentsResolved}`);
};

const reconcile = async (options: { tier?: string }, command: Command) => {
  const context = connect(command);
  const { body: requested } = await context.api.call<Job>('POST', '/ops/reconcile', {
    body: options.tier ? { tier: Number(options.tier) } : {},
  });
  const job = await followJob(context, requested, 'Reconciliation');
  const result = job.result as unknown as ReconcileResult;
  if (context.json) printJson(job);
  else printReconciliation(result);
  if (result.repairs > 0) {
    if (!context.json)
      note(
        `Something needed repair: each repair is on its ticket's timeline (operator_action); tierdesk executions show <ticket> shows its generations. Exit code ${REPAIRED_EXIT_CODE}.`,
      );
    process.exitCode = REPAIRED_EXIT_CODE;
  }
};

const tierOption = (what: string) => new Option('--tier <tier>', what).choices(TIER_CHOICES);

export const opsCommands = (program: Command): void => {
  const executions = program
    .command('executions')
    .description('the ticket workflows (ops, supervisors, admins): list, show, redrive, restart')
    .addHelpText(
      'after',
      '\nOne execution per ticket, named ticket-<number>-g<generation>. Failures are recorded as incidents;\nevery redrive and restart is an internal operator_action event on the ticket.',
    );

  executions
    .command('list')
    .description('executions by status: ticket, tier, state, started, stopped, and for failures the cause')
    .addOption(
      new Option(
        '--status <status>',
        'failures (open incidents), RUNNING (the open tickets, where each waits), or PENDING_REDRIVE',
      )
        .choices(Object.keys(STATUSES))
        .default('FAILED'),
    )
    .addOption(tierOption('only tickets at this tier'))
    .option('--limit <n>', 'executions per page (1–100)')
    .option('--cursor <cursor>', 'the next page, as the previous one printed')
    .action(list);

  executions
    .command('show')
    .description("every generation of a ticket's workflow, and its incidents (open and resolved)")
    .argument('<ticket>', 'the ticket number', ticketNumber)
    .action(show);

  executions
    .command('redrive')
    .description(
      'resume a failed, timed-out or stopped execution from the state that failed (Step Functions redrive)',
    )
    .argument('[ticket]', 'the ticket number', ticketNumber)
    .option('--reason <text>', 'why, for the timeline')
    .option('--all', 'every open incident of --status (a job: progress is shown until it is done)')
    .addOption(
      new Option('--status <status>', 'with --all: which failures').choices(Object.keys(INCIDENT_STATUSES)),
    )
    .addOption(tierOption('with --all: only tickets at this tier'))
    .option(
      '--since <instant>',
      'with --all: only those stopped at or after it (2026-11-24 or an ISO instant)',
    )
    .addHelpText(
      'after',
      `
Examples:
  tierdesk executions redrive 42 --reason "The mail relay is back"
  tierdesk executions redrive --all --status FAILED --tier 1 --since 2026-11-24
AWS redrives a Standard execution within 14 days of its stop; when it cannot (or the definition
was fixed since), tierdesk executions restart <ticket> starts a new generation instead.
With --all, the exit code is 1 when any execution was refused.`,
    )
    .action(redrive);

  executions
    .command('restart')
    .description("start a new generation of the ticket's workflow from the ticket as it is now")
    .argument('<ticket>', 'the ticket number', ticketNumber)
    .option('--reason <text>', 'why, for the timeline')
    .addHelpText(
      'after',
      '\nFor what redrive cannot serve: the redrive window passed, the state machine was fixed, no execution is left.\nA running workflow is left alone (refused); a closed ticket has nothing left to do.',
    )
    .action(restart);

  program
    .command('reconcile')
    .description(
      'find and repair open tickets without a running workflow, closed ones with one, lost wake-ups and dead-lettered stream records',
    )
    .addOption(tierOption('only tickets at this tier'))
    .addHelpText(
      'after',
      `
A job on the desk (it also runs hourly on AWS): progress is shown while it runs, then what it
found and repaired, with the ticket numbers. Every repair is idempotent: running it again is safe.
Exit code: 0 when nothing needed repair, ${REPAIRED_EXIT_CODE} when something was repaired, 1 when the job failed.`,
    )
    .action(reconcile);
};
