import { type Command, Option } from 'commander';
import type * as z from 'zod';
import type { PersonSchema } from '#shared/http/people-schemas';
import { connect, globalOptions, note, say } from './context.ts';
import { claimsOf, credentialsFile, resolveApiUrl, saveSession } from './credentials.ts';
import { CliError } from './errors.ts';
import { Api } from './http.ts';
import { printJson } from './output.ts';
import { printPeople } from './user-commands.ts';

/** `tierdesk login`, `whoami` and `bootstrap-admin`: who the CLI speaks as, and the first admin. */

type Person = z.infer<typeof PersonSchema>;

interface Standing {
  email: string;
  /** The directory entry, when the API lets the caller read it (admins). */
  person?: Person;
  note?: string;
}

/** Who the API takes the token's bearer for: their directory entry if they may read it (admins). */
const standingOf = async (api: Api, token: string): Promise<Standing> => {
  const claims = claimsOf(token);
  const email = claims?.email ?? (claims as { sub?: string } | undefined)?.sub;
  if (!email?.includes('@'))
    throw new CliError('The token carries no email: give an ID token (not an access token).');
  const reply = await api.call<Person | { detail?: string }>(
    'GET',
    `/admin/users/${encodeURIComponent(email)}`,
    {
      accept: [403, 404],
    },
  );
  if (reply.status === 200) return { email, person: reply.body as Person };
  const detail = (reply.body as { detail?: string }).detail;
  return {
    email,
    note:
      reply.status === 404
        ? 'not in the directory: a requester'
        : `signed in, but not an admin (${detail ?? 'forbidden'}): tierdesk config and users commands will refuse`,
  };
};

const printStanding = (api: string, standing: Standing, token: string) => {
  const exp = claimsOf(token)?.exp;
  say(
    `${standing.email} at ${api}${exp ? ` (token valid until ${new Date(exp * 1000).toISOString()})` : ''}`,
  );
  if (standing.person) printPeople([standing.person]);
  else if (standing.note) say(standing.note);
};

const readToken = async (value: string): Promise<string> => {
  if (value !== '-') return value.trim();
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
};

const login = async (options: { dev?: string; token?: string }, command: Command) => {
  const { json, api: flag } = globalOptions(command);
  const url = resolveApiUrl(flag);
  if ((options.dev === undefined) === (options.token === undefined)) {
    throw new CliError('Give either --dev <email> (the local stack) or --token <id-token> (on AWS).', [], 2);
  }
  let token: string;
  if (options.dev !== undefined) {
    const reply = await new Api(url).call<{ token: string }>('POST', '/_local/token', {
      body: { email: options.dev },
      accept: [403, 404],
    });
    if (reply.status !== 200) {
      throw new CliError(
        `${url} is not the local stack (it has no /_local/token): --dev works against npm start only; on AWS, log in with --token (see tierdesk login --help).`,
      );
    }
    token = reply.body.token;
  } else {
    token = await readToken(options.token ?? '');
    if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)) {
      throw new CliError(
        'That is not a JWT: paste the ID token itself (three base64url parts separated by dots).',
        [],
        2,
      );
    }
  }
  const standing = await standingOf(new Api(url, token), token);
  saveSession(url, { email: standing.email, token, savedAt: new Date().toISOString() });
  if (json) return printJson({ api: url, ...standing });
  say(`Logged in (saved in ${credentialsFile()}):`);
  printStanding(url, standing, token);
};

const whoami = async (_options: unknown, command: Command) => {
  const context = connect(command);
  const token = context.api.token ?? '';
  const standing = await standingOf(context.api, token);
  if (context.json) return printJson({ api: context.api.url, ...standing });
  printStanding(context.api.url, standing, token);
};

interface BootstrapOptions {
  email: string;
  name?: string;
  timeZone?: string;
  userPoolId?: string;
  tableName?: string;
  region?: string;
}

/** What the AWS SDK says, as what to do about it. */
const awsError = (error: Error): CliError => {
  if (error.name === 'ConflictError') return new CliError(`Refused: ${error.message}`);
  if (error.name === 'CredentialsProviderError') {
    return new CliError(
      "No AWS credentials: bootstrap-admin runs with the deployer's (AWS_PROFILE, aws sso login, or the AWS_* variables).",
    );
  }
  if (error.name === 'ResourceNotFoundException') {
    return new CliError(
      `${error.message}: check --user-pool-id, --table-name and --region against the stack's outputs (UserPoolId, TableName).`,
    );
  }
  return new CliError(`AWS refused: ${error.name}: ${error.message}`);
};

const bootstrapAdmin = async (options: BootstrapOptions, command: Command) => {
  const { json, api: flag } = globalOptions(command);
  const admin = {
    email: options.email,
    name: options.name ?? options.email.split('@')[0] ?? options.email,
    timeZone: options.timeZone,
  };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(admin.email)) {
    throw new CliError(`--email must be an email address; got "${admin.email}".`, [], 2);
  }
  if ((options.userPoolId === undefined) !== (options.tableName === undefined)) {
    throw new CliError(
      'On AWS give both --user-pool-id and --table-name (the stack outputs UserPoolId and TableName); for the local stack, neither.',
      [],
      2,
    );
  }
  let created: Person | { email: string };
  if (options.userPoolId && options.tableName) {
    // The one command that runs with AWS credentials instead of a token: there is no admin yet to hold one.
    const { bootstrapAdminOnAws } = await import('#infra/bootstrap-admin');
    try {
      created = await bootstrapAdminOnAws(
        { userPoolId: options.userPoolId, tableName: options.tableName, region: options.region },
        admin,
      );
    } catch (error) {
      throw awsError(error as Error);
    }
  } else {
    const url = resolveApiUrl(flag);
    const reply = await new Api(url).call<Person>('POST', '/_local/bootstrap-admin', {
      body: admin,
      accept: [404],
    });
    if (reply.status === 404) {
      throw new CliError(
        `${url} is not the local stack: on AWS, give --user-pool-id and --table-name (the stack's outputs).`,
        [],
        2,
      );
    }
    created = reply.body;
  }
  if (json) return printJson(created);
  say(`${created.email} is the desk's first admin.`);
  note(
    options.userPoolId
      ? 'Cognito mailed them a temporary password; sign in (see tierdesk login --help), then tierdesk login --token <id-token>.'
      : `Next: tierdesk login --dev ${created.email}`,
  );
};

export const sessionCommands = (program: Command): void => {
  program
    .command('login')
    .description('sign in to the API and keep the token for the next commands')
    .addOption(
      new Option('--dev <email>', 'the local stack: a dev ID token for this person').conflicts('token'),
    )
    .option('--token <id-token>', 'on AWS: a Cognito ID token (- reads it from stdin)')
    .addHelpText(
      'after',
      `
Locally (npm start):  tierdesk login --dev lena@example.com
On AWS, get an ID token from the user pool's app client (stack outputs UserPoolClientId and the region):
  aws cognito-idp initiate-auth --region <region> --client-id <UserPoolClientId> \\
    --auth-flow USER_PASSWORD_AUTH --auth-parameters USERNAME=<email>,PASSWORD=<password> \\
    --query AuthenticationResult.IdToken --output text | tierdesk login --api <ApiUrl> --token -
  (An invited account's first sign-in answers NEW_PASSWORD_REQUIRED: set a password with
  aws cognito-idp respond-to-auth-challenge --challenge-name NEW_PASSWORD_REQUIRED ... first.)
ID tokens live an hour; log in again when the CLI says the token expired.
The token is kept in ~/.config/tierdesk/credentials.json (mode 0600; TIERDESK_CONFIG_DIR moves it);
TIERDESK_TOKEN, when set, is used instead.`,
    )
    .action(login);

  program
    .command('whoami')
    .description('who the API takes you for: your directory entry (admins), or what you may not read')
    .action(whoami);

  program
    .command('bootstrap-admin')
    .description("create the desk's first admin, once: refused when an active admin exists")
    .requiredOption('--email <email>', 'the first admin')
    .option('--name <name>', 'their display name (default: the part of the email before @)')
    .option('--time-zone <zone>', 'their IANA time zone (default UTC)')
    .option('--user-pool-id <id>', "on AWS: the stack's UserPoolId output")
    .option('--table-name <name>', "on AWS: the stack's TableName output")
    .option('--region <region>', "on AWS: the stack's region (default: the AWS configuration's)")
    .addHelpText(
      'after',
      `
On AWS this runs with your AWS credentials (the deployer's), not a token: it creates the Cognito
account (invited by mail, group admins) and the directory entry. Every other person is added by an
admin with tierdesk users add.
  tierdesk bootstrap-admin --user-pool-id eu-west-1_AbC --table-name Tierdesk-prod-Table… --email it@example.org
Against the local stack (npm start -- --no-seed), leave out --user-pool-id and --table-name.`,
    )
    .action(bootstrapAdmin);
};
