import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_ARTICLES } from '#infra/local/demo/articles';
import { DEFAULT_SES_PORT } from './mail.ts';
import { DEMO_USERS, type DemoUser } from './seed.ts';
import { DEFAULT_SMTP_PORT, DEFAULT_SUPPORT_ADDRESS } from './smtp.ts';
import type { LocalStack } from './stack.ts';
import { DEFAULT_SFN_PORT } from './workflow-engine.ts';

/**
 * What `npm start` takes and what it prints once the stack is up. Flags win over environment
 * variables, which win over the defaults.
 */

export const USAGE = `Usage: npm start -- [options]

  --port <n>          API port (env PORT, default 3000)
  --console-port <n>  web console port (env CONSOLE_PORT, default 3001)
  --dynamo-port <n>   DynamoDB Local port (env DYNAMODB_PORT, default: a free one, printed below).
                      It listens on every interface and takes any credentials: see the README.
  --sfn-port <n>      local Step Functions endpoint, for the AWS CLI's --endpoint-url
                      (env SFN_PORT, default ${DEFAULT_SFN_PORT})
  --smtp-port <n>     SMTP port of the mail intake (env SMTP_PORT, default ${DEFAULT_SMTP_PORT})
  --ses-port <n>      local SES port, viewer of the sent mail (env SES_PORT, default ${DEFAULT_SES_PORT})
  --support-address <a[,b]>
                      addresses the desk receives mail on (env TIERDESK_SUPPORT_ADDRESSES,
                      default ${DEFAULT_SUPPORT_ADDRESS}); the first is the sender of its mail
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

export type StartOptions = ReturnType<typeof parseStartOptions>;

export const parseStartOptions = (argv: string[], env: NodeJS.ProcessEnv = process.env) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      'dynamo-port': { type: 'string' },
      'console-port': { type: 'string' },
      'sfn-port': { type: 'string' },
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
  const persist = values.persist ?? env.TIERDESK_DATA_DIR;
  const clock = values.clock ?? env.TIERDESK_CLOCK_START;
  const clockStart = clock ? new Date(clock) : undefined;
  if (clockStart && Number.isNaN(clockStart.getTime())) {
    throw new Error(`--clock must be an ISO 8601 instant such as 2026-11-27T15:00:00Z, got "${clock}".`);
  }
  return {
    help: values.help,
    port: portOf(values.port ?? env.PORT, '--port', 3000),
    consolePort: portOf(values['console-port'] ?? env.CONSOLE_PORT, '--console-port', 3001),
    dynamoPort: portOf(values['dynamo-port'] ?? env.DYNAMODB_PORT, '--dynamo-port', 0),
    sfnPort: portOf(values['sfn-port'] ?? env.SFN_PORT, '--sfn-port', DEFAULT_SFN_PORT),
    smtpPort: portOf(values['smtp-port'] ?? env.SMTP_PORT, '--smtp-port', DEFAULT_SMTP_PORT),
    sesPort: portOf(values['ses-port'] ?? env.SES_PORT, '--ses-port', DEFAULT_SES_PORT),
    supportAddresses: (values['support-address'] ?? env.TIERDESK_SUPPORT_ADDRESSES ?? DEFAULT_SUPPORT_ADDRESS)
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

/** The parts of a started stack the banner names. */
export type BannerStack = Pick<
  LocalStack,
  'apiUrl' | 'consoleUrl' | 'dynamoEndpoint' | 'tableName' | 'hadData' | 'seeded'
> & {
  workflow: Pick<LocalStack['workflow'], 'sfnEndpoint'> & {
    stepFunctions: Pick<LocalStack['workflow']['stepFunctions'], 'stateMachineArn'>;
  };
  mail: Pick<LocalStack['mail'], 'smtpPort' | 'supportAddresses' | 'sesUrl'>;
};

/** What the start did with the demo data, and whom it lists. */
const demoPeople = (stack: BannerStack): string[] => {
  const people = DEMO_USERS.map(
    (user) =>
      `  ${user.email.padEnd(20)} ${user.name.padEnd(16)} ${`${user.role}${user.tiers.length ? ` ${user.tiers.join(',')}` : ''}`.padEnd(14)} ${tokenCommand(user)}`,
  );
  if (stack.seeded) {
    return [
      `Demo data seeded: ${stack.seeded.tickets.length} tickets (#${stack.seeded.tickets.join(', #')}) and these people:`,
      ...people,
    ];
  }
  if (stack.hadData) {
    return [
      'The table already had data, so nothing was seeded. The demo people (if seeded earlier):',
      ...people,
    ];
  }
  // An empty table that was not seeded: --no-seed.
  return [
    'Nothing seeded (--no-seed): the desk runs on its built-in configuration, with no people, tickets',
    'or articles, as a new deployment does. Set it up as on AWS (--api if not on port 3000):',
    '  npx tierdesk bootstrap-admin --email you@example.com',
    '  npx tierdesk login --dev you@example.com',
    '  npx tierdesk config apply examples/desk.yaml',
  ];
};

export const startBanner = (
  stack: BannerStack,
  options: { persistDir?: string },
  seconds: string,
): string => {
  const sfn = stack.workflow.sfnEndpoint;
  const stateMachine = stack.workflow.stepFunctions.stateMachineArn;
  return [
    '',
    `Tierdesk local stack ready in ${seconds} s`,
    ...(stack.consoleUrl
      ? [`  Console         ${stack.consoleUrl}   (sign in as any of the people below)`]
      : []),
    `  API             ${stack.apiUrl}   (contract: ${stack.apiUrl}/openapi.json)`,
    `  DynamoDB Local  ${stack.dynamoEndpoint}   table ${stack.tableName}, ${options.persistDir ? `persisted in ${options.persistDir}` : 'in memory'}`,
    '                  (the one service not held to loopback: it listens on every interface and takes any credentials)',
    `  Step Functions  ${sfn}   state machine ${stateMachine}`,
    `  Mail intake     smtp://127.0.0.1:${stack.mail.smtpPort}   for ${stack.mail.supportAddresses.join(', ')} (and their +<ticket> addresses)`,
    `  Sent mail       ${stack.mail.sesUrl}   (local SES viewer; JSON at ${stack.mail.sesUrl}store)`,
    `  Knowledge base  ${stack.apiUrl}/kb/public/search?q=vpn   (no token; ${DEMO_ARTICLES.length} demo articles when seeded)`,
    `  Tokens          npm run token -- --sub <email> --role requester|agent|supervisor|admin [--tiers 1,2]`,
    '',
    ...demoPeople(stack),
    '',
    'Try:',
    '  TOKEN=$(npm run -s token -- --sub alice@example.com --role requester)',
    `  curl -s -H "authorization: Bearer $TOKEN" ${stack.apiUrl}/tickets`,
    `  swaks --server 127.0.0.1:${stack.mail.smtpPort} --from alice@example.com --to ${stack.mail.supportAddresses[0]} \\`,
    `        --header "Subject: Monitor flickers" --body "Since this morning."`,
    `  npm run mail -- --port ${stack.mail.smtpPort} --from priya@example.com --subject "Re: [#<n>] …" --text "…"   (signed, as an agent)`,
    '  # the workflows, with the AWS CLI (any region, no credentials needed):',
    `  aws stepfunctions list-executions --endpoint-url ${sfn} --region local --no-sign-request \\`,
    `        --state-machine-arn ${stateMachine}`,
    '',
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
};
