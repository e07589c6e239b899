import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { DEFAULT_SES_PORT } from './mail.ts';
import { DEMO_USERS, type DemoUser } from './seed.ts';
import { DEFAULT_SMTP_PORT, DEFAULT_SUPPORT_ADDRESS } from './smtp.ts';
import { type LocalStack, StartupError, startLocalStack } from './stack.ts';

/**
 * `npm start`: the local stack in the foreground until Ctrl-C.
 * Flags win over environment variables, which win over the defaults.
 */

const USAGE = `Usage: npm start -- [options]

  --port <n>          API port (env PORT, default 3000)
  --dynamo-port <n>   DynamoDB Local port (env DYNAMODB_PORT, default 8000)
  --smtp-port <n>     SMTP port of the mail intake (env SMTP_PORT, default 2525)
  --ses-port <n>      local SES port, viewer of the sent mail (env SES_PORT, default 8005)
  --support-address <a[,b]>
                      addresses the desk receives mail on (env TIERDESK_SUPPORT_ADDRESSES,
                      default support@tierdesk.local); the first is the sender of its mail
  --persist <dir>     keep the data in <dir> across restarts (env TIERDESK_DATA_DIR; default: in memory)
  --clock <instant>   start the local clock standing at this ISO 8601 instant, e.g. 2026-11-27T15:00:00Z
                      (env TIERDESK_CLOCK_START; default: real time). POST /_local/clock moves it.
  --no-seed           do not add demo data to an empty table
  --log-level <lvl>   handler log level: DEBUG, INFO, WARN, ERROR, SILENT (default INFO)
  --help`;

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;

const portOf = (value: string | undefined, name: string, fallback: number): number => {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new Error(`${name} must be a port number, got "${value}".`);
  return port;
};

const parseOptions = (argv: string[]) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'dynamo-port': { type: 'string' },
      'smtp-port': { type: 'string' },
      'ses-port': { type: 'string' },
      'support-address': { type: 'string' },
      persist: { type: 'string' },
      clock: { type: 'string' },
      seed: { type: 'boolean', default: true },
      'log-level': { type: 'string', default: 'INFO' },
      help: { type: 'boolean', default: false },
    },
    allowNegative: true,
    strict: true,
  });
  const logLevel = values['log-level'].toUpperCase();
  if (!LOG_LEVELS.includes(logLevel as (typeof LOG_LEVELS)[number])) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}.`);
  }
  const persist = values.persist ?? process.env.TIERDESK_DATA_DIR;
  const clock = values.clock ?? process.env.TIERDESK_CLOCK_START;
  const clockStart = clock ? new Date(clock) : undefined;
  if (clockStart && Number.isNaN(clockStart.getTime())) {
    throw new Error(`--clock must be an ISO 8601 instant such as 2026-11-27T15:00:00Z, got "${clock}".`);
  }
  return {
    help: values.help,
    port: portOf(values.port ?? process.env.PORT, '--port', 3000),
    dynamoPort: portOf(values['dynamo-port'] ?? process.env.DYNAMODB_PORT, '--dynamo-port', 8000),
    smtpPort: portOf(values['smtp-port'] ?? process.env.SMTP_PORT, '--smtp-port', DEFAULT_SMTP_PORT),
    sesPort: portOf(values['ses-port'] ?? process.env.SES_PORT, '--ses-port', DEFAULT_SES_PORT),
    supportAddresses: (
      values['support-address'] ??
      process.env.TIERDESK_SUPPORT_ADDRESSES ??
      DEFAULT_SUPPORT_ADDRESS
    )
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
    persistDir: persist ? resolve(persist) : undefined,
    clockStart,
    seed: values.seed,
    logLevel: logLevel as (typeof LOG_LEVELS)[number],
  };
};

const tokenCommand = (user: Pick<DemoUser, 'email' | 'role' | 'tiers'>) =>
  `npm run token -- --sub ${user.email} --role ${user.role}${user.tiers.length ? ` --tiers ${user.tiers.join(',')}` : ''}`;

const banner = (stack: LocalStack, persistDir: string | undefined, seconds: string): string => {
  const demo = stack.seeded
    ? `Demo data seeded: ${stack.seeded.tickets.length} tickets (#${stack.seeded.tickets.join(', #')}) and these people:`
    : 'The table already had data, so nothing was seeded. The demo people (if seeded earlier):';
  const people = DEMO_USERS.map(
    (user) =>
      `  ${user.email.padEnd(20)} ${user.name.padEnd(16)} ${`${user.role}${user.tiers.length ? ` ${user.tiers.join(',')}` : ''}`.padEnd(14)} ${tokenCommand(user)}`,
  );
  return [
    '',
    `Tierdesk local stack ready in ${seconds} s`,
    `  API             ${stack.apiUrl}   (contract: ${stack.apiUrl}/openapi.json)`,
    `  DynamoDB Local  ${stack.dynamoEndpoint}   table ${stack.tableName}, ${persistDir ? `persisted in ${persistDir}` : 'in memory'}`,
    `  Mail intake     smtp://127.0.0.1:${stack.mail.smtpPort}   for ${stack.mail.supportAddresses.join(', ')} (and their +<ticket> addresses)`,
    `  Sent mail       ${stack.mail.sesUrl}   (local SES viewer; JSON at ${stack.mail.sesUrl}store)`,
    `  Knowledge base  ${stack.apiUrl}/kb/public/search?q=vpn   (no token; ${DEMO_ARTICLES.length} demo articles when seeded)`,
    `  Tokens          npm run token -- --sub <email> --role requester|agent|supervisor|admin [--tiers 1,2]`,
    '',
    demo,
    ...people,
    '',
    'Try:',
    '  TOKEN=$(npm run -s token -- --sub alice@example.com --role requester)',
    `  curl -s -H "authorization: Bearer $TOKEN" ${stack.apiUrl}/tickets`,
    `  swaks --server 127.0.0.1:${stack.mail.smtpPort} --from alice@example.com --to ${stack.mail.supportAddresses[0]} \\`,
    `        --header "Subject: Monitor flickers" --body "Since this morning."`,
    `  npm run mail -- --port ${stack.mail.smtpPort} --from priya@example.com --subject "Re: [#<n>] …" --text "…"   (signed, as an agent)`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
};

const main = async (): Promise<number> => {
  let options: ReturnType<typeof parseOptions>;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }

  const started = performance.now();
  const stack = await startLocalStack({
    ...options,
    accessLog: (line) => console.log(`[api] ${line}`),
  });
  console.log(banner(stack, options.persistDir, ((performance.now() - started) / 1000).toFixed(1)));

  return new Promise((done) => {
    let firstSignalAt: number | undefined;
    const shutdown = (signal: NodeJS.Signals) => {
      if (firstSignalAt !== undefined) {
        // Ctrl-C reaches this process twice (from the terminal and relayed by tsx): only a later
        // one is the impatient "stop now" that skips the orderly stop.
        if (Date.now() - firstSignalAt > 1_000) process.exit(1);
        return;
      }
      firstSignalAt = Date.now();
      console.log(`\n${signal}: stopping the local stack...`);
      stack.stop().then(
        () => done(0),
        (error: unknown) => {
          console.error('Stopping failed:', error);
          done(1);
        },
      );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Problems the user can fix get a sentence; anything else keeps its stack for the bug report.
    console.error(
      error instanceof StartupError
        ? `Cannot start the local stack: ${error.message}\n(npm start -- --help lists the options.)`
        : error,
    );
    process.exit(1);
  },
);
