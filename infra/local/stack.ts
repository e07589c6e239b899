import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { CSAT_KEYS_VARIABLE } from '#shared/csat/config';
import { systemClock } from '#shared/domain/clock';
import { functionOf, handlerEntry, ROUTES, type RouteDefinition, type RouteId } from '#shared/http/routes';
import { DynamoArticleStore } from '#shared/kb/adapters/dynamodb';
import { S3IndexStore } from '#shared/kb/adapters/s3';
import { CONSOLE_URL_VARIABLE, kbBucketFromEnv, PUBLIC_API_URL_VARIABLE } from '#shared/kb/config';
import { s3BucketFromEnv } from '#shared/runtime/s3-bucket';
import { documentClient } from '#shared/store/client';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import { TICKET_VARIABLES } from '#shared/tickets/config';
import { compileRoutes, fromResult, toEvent, toGatewayClaims } from './api-gateway.ts';
import { startLocalConsole } from './console.ts';
import { type DevKey, devClaims, devCsatKeys, loadDevKey, verifyDevToken } from './dev-key.ts';
import { assertJava, ensureTable, localClientConfig, startDynamoDbLocal } from './dynamodb-local.ts';
import { type LocalFunction, loadHandler, localFunction } from './lambda.ts';
import { type LocalMail, localMailIntake, planLocalMail, startLocalMail } from './mail.ts';
import { isIssuedBy, issuerVerifier, type TrustedIssuer } from './oidc.ts';
import { assertPortFree, freePort } from './ports.ts';
import { type CallRoute, type SeedResult, seedDemoArticles, seedDemoConfig, seedDemoData } from './seed.ts';
import { startApiServer } from './server.ts';
import { signInRoutes } from './sign-in.ts';
import { teardown } from './teardown.ts';
import {
  DEFAULT_SFN_PORT,
  startWorkflowEngine,
  type WorkflowEngine,
  workflowEnvironment,
} from './workflow-engine.ts';

/**
 * The local stack: DynamoDB Local, the API handlers behind a local API Gateway, demo data.
 * `npm start` is a thin CLI around {@link startLocalStack}; the e2e tests start it in-process.
 * Each part is started in order and registers how to stop it, so later parts (a workflow engine,
 * SMTP, an SES viewer) slot in without touching the others.
 */

const DEFAULT_TABLE_NAME = 'tierdesk-local';
/** HTTP API's integration timeout: past it, API Gateway answers 503 whatever the function does. */
const INTEGRATION_TIMEOUT_MS = 30_000;

export interface LocalStackOptions {
  /** API port; 0 picks a free one. */
  port: number;
  /** DynamoDB Local port; 0 (default) picks a free one. */
  dynamoPort?: number;
  /** Persist DynamoDB Local to this folder instead of memory. */
  persistDir?: string;
  /** Seed demo data when the table is empty. */
  seed: boolean;
  /**
   * Apply the demo desk's configuration (`examples/desk.yaml`) to a new table even without the
   * demo people and tickets: what tests that bring their own people start from.
   */
  seedDesk?: boolean;
  tableName?: string;
  /**
   * Start the local clock controlled, standing at this instant (ISO 8601), instead of in real
   * time; `POST /_local/clock` moves it on from there.
   */
  clockStart?: Date;
  /** SMTP port of the local mail intake; 0 picks a free one (default 2525). */
  smtpPort?: number;
  /** Port of the local SES and its viewer; 0 picks a free one (default 8005). */
  sesPort?: number;
  /** Port of the local Step Functions endpoint; 0 picks a free one (default 8083). */
  sfnPort?: number;
  /** Addresses the desk receives mail on (default support@tierdesk.local); the first is its sender. */
  supportAddresses?: readonly string[];
  /** Log level of the handlers (default INFO). */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  accessLog?: (line: string) => void;
  /**
   * Serve the web console on this port (0 picks a free one); absent, no console is built or
   * served (API-only tests).
   */
  consolePort?: number;
  /** Where handler crashes are reported; they never reach a client. Default: console.error. */
  onError?: (error: unknown, routeKey: string) => void;
  /**
   * Also trust this OpenID Connect issuer: the API accepts its ID tokens for the client beside
   * dev tokens, and the console signs in through it (authorization code + PKCE, as on AWS)
   * instead of the development sign-in.
   */
  oidc?: TrustedIssuer;
}

export interface LocalStack {
  apiUrl: string;
  /** The web console's address, when `consolePort` asked for one. */
  consoleUrl?: string;
  dynamoEndpoint: string;
  tableName: string;
  devKey: DevKey;
  /** The table held items before this start (a persisted one): nothing was seeded then. */
  hadData: boolean;
  /** Set when this start seeded the table (it was empty). */
  seeded?: SeedResult;
  /** Invokes a route's handler directly, authorized as someone, skipping HTTP. */
  callRoute: CallRoute;
  /** The local Step Functions, the stream poller and the controllable clock. */
  workflow: WorkflowEngine;
  /** SMTP intake, local SES (viewer), the mail bucket, the mailer. */
  mail: LocalMail;
  /** Resolves once everything the last change set in motion is done: workflows parked, mail sent. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** A problem the person starting the stack can fix (Java, a busy port): reported without a stack trace. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

const asStartupError = async <T>(check: () => T | Promise<T>): Promise<T> => {
  try {
    return await check();
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
};

/**
 * Handlers create their SDK clients at module load from the environment, as on Lambda; this is
 * the environment the CDK stack gives them, pointed at the local engines. Because modules load
 * once per process, the first stack's endpoints stay bound: see {@link startLocalStack}.
 */
const functionEnvironment = (
  tableName: string,
  dynamoEndpoint: string,
  logLevel: string,
  serviceEnv: Record<string, string>,
) => ({
  ...serviceEnv,
  TABLE_NAME: tableName,
  AWS_REGION: 'local',
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
  // Any other AWS client a handler might create fails fast on a closed local port instead of
  // reaching a real account with whatever credentials the developer has around.
  AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
  // No CloudWatch to parse EMF locally: printing it would only bury the logs.
  METRICS_DISABLED: 'true',
  LOG_LEVEL: logLevel,
  // DynamoDB Local commits one transaction at a time, so a burst on one ticket takes longer to
  // converge than on DynamoDB; the local integration timeout (30 s) leaves room for it.
  TIERDESK_CONTENTION_BUDGET_MS: '20000',
  // The demo organization: its people write from example.com and may copy each other.
  [TICKET_VARIABLES.orgDomains]: 'example.com',
});

let boundEndpoint: string | undefined;

const bindEnvironment = (
  tableName: string,
  dynamoEndpoint: string,
  logLevel: string,
  serviceEnv: Record<string, string>,
): void => {
  if (boundEndpoint !== undefined && boundEndpoint !== dynamoEndpoint) {
    throw new Error(
      `This process already loaded the handlers against ${boundEndpoint}; their clients cannot be moved to ` +
        `${dynamoEndpoint}. Start one local stack per process (each vitest file runs in its own).`,
    );
  }
  // A session token or profile from the developer's shell would be sent along or shadow the env credentials.
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  Object.assign(process.env, functionEnvironment(tableName, dynamoEndpoint, logLevel, serviceEnv));
  boundEndpoint = dynamoEndpoint;
};

const loadFunctions = async (routes: readonly RouteDefinition[]): Promise<Map<string, LocalFunction>> => {
  // All at start, in parallel: a broken or missing handler stops the stack now, not at the first request.
  // Routes that share a function (`fn`) share one local function, as they share one Lambda.
  const byFunction = new Map<string, Promise<LocalFunction>>();
  const loaded = await Promise.all(
    routes.map(async (route) => {
      const name = functionOf(route);
      const fn =
        byFunction.get(name) ??
        loadHandler(handlerEntry(route)).then((handler) =>
          localFunction(`tierdesk-${name}`, handler, INTEGRATION_TIMEOUT_MS),
        );
      byFunction.set(name, fn);
      return [route.id, await fn] as const;
    }),
  );
  return new Map(loaded);
};

const isEmpty = async (endpoint: string, tableName: string): Promise<boolean> => {
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    const { Count = 0 } = await client.send(
      new ScanCommand({ TableName: tableName, Limit: 1, Select: 'COUNT' }),
    );
    return Count === 0;
  } finally {
    client.destroy();
  }
};

/**
 * Builds the knowledge base's search index from the table and saves it where the searching
 * functions load it: what the stream processor does after an article change, done here once for
 * the seeded articles. Call it once the function environment is bound: the bucket's endpoint and credentials come from it,
 * and so does the logger the index module creates when it loads.
 */
const buildSearchIndex = async (db: DynamoDBDocumentClient, tableName: string): Promise<void> => {
  const { rebuildIndex } = await import('#shared/kb/index-build');
  await rebuildIndex(
    new DynamoArticleStore(db, tableName),
    new S3IndexStore(s3BucketFromEnv(kbBucketFromEnv())),
  );
};

/** Builds the event API Gateway would for a request to `routeId` by an authorized `as`. */
const routeCaller = (functions: Map<string, LocalFunction>): CallRoute => {
  const compiled = compileRoutes(ROUTES);
  return async (routeId: RouteId, call) => {
    const route = compiled.find((candidate) => candidate.route.id === routeId);
    const fn = functions.get(routeId);
    if (!route || !fn) throw new Error(`No route ${routeId}.`);
    const pathParameters = call.pathParameters ?? {};
    const path = route.route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
      encodeURIComponent(pathParameters[name] ?? ''),
    );
    const headers: Record<string, string[]> = {
      host: ['localhost'],
      'user-agent': ['tierdesk-local'],
      ...Object.fromEntries(
        Object.entries(call.headers ?? {}).map(([name, value]) => [name.toLowerCase(), [value]]),
      ),
    };
    let body = Buffer.alloc(0);
    if (call.body !== undefined) {
      headers['content-type'] = ['application/json'];
      body = Buffer.from(JSON.stringify(call.body));
    }
    const claims = route.route.auth === 'jwt' ? toGatewayClaims(devClaims(call.as)) : undefined;
    const event = toEvent(
      { method: route.route.method, url: path, headers, body, sourceIp: '127.0.0.1', port: 0 },
      { compiled: route, pathParameters },
      claims,
    );
    const response = fromResult(await fn.invoke(event));
    const text = response.body.toString('utf8');
    return { statusCode: response.statusCode, body: text ? JSON.parse(text) : undefined };
  };
};

/**
 * Like Promise.all, but rejects only once every task has settled: a task that fails early must
 * not leave another (DynamoDB Local starting) running after the cleanup has already run.
 */
const settleAll = async <T extends readonly unknown[]>(
  tasks: { [K in keyof T]: Promise<T[K]> },
): Promise<{ -readonly [K in keyof T]: T[K] }> => {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: T[K];
  };
};

/**
 * Starts everything and resolves once the API answers. One stack per process: handlers bind
 * their clients to the first stack's DynamoDB endpoint when they are loaded.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const stops = teardown();
  const stop = stops.stop;

  // Cheap checks first, so a missing Java or a busy port fails in milliseconds, not after DynamoDB starts.
  await asStartupError(assertJava);
  if (options.port) await asStartupError(() => assertPortFree(options.port, 'Tierdesk API'));
  // Known before the handlers load: the mailer links articles to the API's public pages.
  const apiPort = options.port || (await freePort());
  const dynamoPort = options.dynamoPort || (await freePort());
  if (options.consolePort)
    await asStartupError(() => assertPortFree(options.consolePort ?? 0, 'Tierdesk console'));
  const consolePort =
    options.consolePort === undefined ? undefined : options.consolePort || (await freePort());
  const consoleOrigins =
    consolePort === undefined ? [] : [`http://127.0.0.1:${consolePort}`, `http://localhost:${consolePort}`];
  await asStartupError(() => assertPortFree(dynamoPort, 'DynamoDB Local'));
  const mailPlan = await planLocalMail(options);
  await asStartupError(() => assertPortFree(mailPlan.smtpPort, 'SMTP intake'));
  await asStartupError(() => assertPortFree(mailPlan.sesPort, 'local SES'));
  const sfnPort = options.sfnPort === 0 ? await freePort() : (options.sfnPort ?? DEFAULT_SFN_PORT);
  await asStartupError(() => assertPortFree(sfnPort, 'local Step Functions'));

  try {
    // The endpoint is known before DynamoDB Local answers, so the handlers load while the JVM starts:
    // their clients connect on first use, not at module load.
    const dynamoEndpoint = `http://127.0.0.1:${dynamoPort}`;
    bindEnvironment(tableName, dynamoEndpoint, options.logLevel ?? 'INFO', {
      ...workflowEnvironment(sfnPort),
      ...mailPlan.env,
      [PUBLIC_API_URL_VARIABLE]: `http://localhost:${apiPort}`,
      ...(consolePort === undefined ? {} : { [CONSOLE_URL_VARIABLE]: `http://127.0.0.1:${consolePort}` }),
      [CSAT_KEYS_VARIABLE]: devCsatKeys(),
    });
    const [dynamo, functions, devKey] = await settleAll([
      startDynamoDbLocal({ port: dynamoPort, path: options.persistDir }).then((started) => {
        stops.push(started.stop);
        return started;
      }),
      loadFunctions(ROUTES),
      loadDevKey(),
    ] as const);
    await ensureTable(dynamo.endpoint, tableName);
    const hadData = !(await isEmpty(dynamo.endpoint, tableName));
    const seedClient = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    stops.push(async () => seedClient.destroy());
    const db = documentClient(seedClient);
    const seedsDemo = options.seed && !hadData;
    // The demo desk's configuration is `examples/desk.yaml`, applied as `tierdesk config apply`
    // would (a table started with --no-seed runs on the built-in configuration until an admin
    // applies one). Its writes precede the stream's readers, which do not act on configuration.
    if (seedsDemo || (options.seedDesk && !hadData)) {
      await seedDemoConfig({
        configs: new DynamoConfigStore(db, tableName),
        clock: systemClock,
        tickets: new DynamoTicketStore(db, tableName, systemClock),
      });
    }
    // The demo articles go in before anything reads the stream, and their search index is built
    // once, below. Besides them the stream of a new table holds only the configuration, which no
    // reader acts on, so its readers start after it: replayed, the articles' records would rebuild
    // the index once per batch, about twenty times.
    if (seedsDemo) await seedDemoArticles(new DynamoArticleStore(db, tableName));
    const streamFrom = hadData ? 'oldest' : 'latest';
    const callRoute = routeCaller(functions);
    const onError = options.onError ?? ((error, where) => console.error(`[local] ${where} failed:`, error));
    const workflow = await startWorkflowEngine({
      sfnPort,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      onError,
      clockStart: options.clockStart,
      streamFrom,
    });
    stops.push(workflow.stop);
    // Before the seed: its tickets are acknowledged by mail like any other.
    const mail = await startLocalMail({
      plan: mailPlan,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      persistDir: options.persistDir && join(options.persistDir, 'mail-bucket'),
      ...(await localMailIntake()),
      onError,
      streamFrom,
      corsOrigins: consoleOrigins,
    });
    stops.push(mail.stop);
    const settle = async () => {
      await workflow.settle();
      await mail.drain();
    };

    let seeded: SeedResult | undefined;
    if (seedsDemo) {
      // Before the tickets: their acknowledgments suggest articles from it.
      await buildSearchIndex(db, tableName);
      seeded = await seedDemoData(new DynamoDirectory(db, tableName), callRoute);
    }
    seedClient.destroy();

    const signIn = signInRoutes({ dynamoEndpoint: dynamo.endpoint, tableName, devKey });
    stops.push(signIn.stop);
    const { oidc } = options;
    const verifyIssued = oidc && issuerVerifier(oidc);
    const api = await asStartupError(() =>
      startApiServer(
        {
          routes: ROUTES,
          functionOf: (route) => functions.get(route.id) as LocalFunction,
          verifyToken: (token) =>
            oidc && verifyIssued && isIssuedBy(oidc, token)
              ? verifyIssued(token)
              : verifyDevToken(devKey, token),
          accessLog: options.accessLog,
          onError,
          localRoutes: { ...workflow.localRoutes, ...signIn.localRoutes },
          corsOrigins: consoleOrigins,
        },
        apiPort,
      ),
    );
    stops.push(api.close);
    const webConsole =
      consolePort === undefined
        ? undefined
        : await asStartupError(() =>
            startLocalConsole({ port: consolePort, apiUrl: api.url, connect: [mail.s3Endpoint], oidc }),
          );
    if (webConsole) stops.push(webConsole.close);

    // Seeded tickets start their workflows through the stream like any other: let them park first.
    await settle();
    return {
      apiUrl: api.url,
      consoleUrl: webConsole?.url,
      dynamoEndpoint: dynamo.endpoint,
      tableName,
      devKey,
      hadData,
      seeded,
      callRoute,
      workflow,
      mail,
      settle,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
