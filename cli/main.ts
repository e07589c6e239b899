import { Command, CommanderError } from 'commander';
import { configCommands } from './config-commands.ts';
import { LOCAL_API } from './credentials.ts';
import { CliError } from './errors.ts';
import { opsCommands } from './ops-commands.ts';
import { reportCommands } from './report-commands.ts';
import { sessionCommands } from './session-commands.ts';
import { userCommands } from './user-commands.ts';

/**
 * `tierdesk`: the desk's administration and operation from a terminal. It talks to the HTTP API
 * only, so it works the same against a deployment and the local stack (`bootstrap-admin` on AWS
 * excepted). Exit codes: 0 done, 1 failed (the message says what to do), 2 a usage error, 3
 * `reconcile` repaired something.
 */

const program = new Command('tierdesk')
  .description(
    'Administer and operate a Tierdesk desk over its HTTP API: sign-in, configuration as code, people, workflows, reports.',
  )
  .option(
    '--api <url>',
    `the API's base URL (default: TIERDESK_API_URL, else the API you logged in to last, else ${LOCAL_API})`,
  )
  .option('--json', 'print machine-readable JSON instead of tables and text')
  .configureHelp({ showGlobalOptions: true })
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

sessionCommands(program);
configCommands(program);
userCommands(program);
opsCommands(program);
reportCommands(program);

program.addHelpText(
  'after',
  `
Start: tierdesk login --dev <email> (local stack) or --token <id-token> (AWS), then e.g.
  tierdesk config export > desk.yaml    tierdesk config apply desk.yaml    tierdesk users list
  tierdesk executions list --status FAILED    tierdesk reconcile    tierdesk report --tier 1
Every command has --help.`,
);

const fail = (error: CliError) => {
  process.stderr.write(`tierdesk: ${error.message}\n`);
  for (const detail of error.details) process.stderr.write(`  ${detail}\n`);
  process.exitCode = error.exitCode;
};

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander has printed its own message (or the help) already.
  if (error instanceof CommanderError) process.exitCode = error.exitCode === 0 ? 0 : 2;
  else if (error instanceof CliError) fail(error);
  else fail(new CliError(`unexpected failure: ${(error as Error).message ?? String(error)}`));
}
