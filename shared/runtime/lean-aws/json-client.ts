import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import aws4 from 'aws4';

/**
 * AWS's JSON protocols (awsJson 1.0 and 1.1: one POST per operation, the operation in
 * `X-Amz-Target`) over Node's HTTP client, requests signed with aws4 (SigV4): what a deployed
 * function calls DynamoDB, Step Functions and Secrets Manager with. The SDK's clients carry some
 * 150 KiB of protocol, endpoint-rule, retry and middleware code that every cold start parses,
 * about a third of an API handler's import time; each service here is a description
 * ({@link JsonService}) and a few command classes with the SDK's names
 * (`#shared/store/lean/document-client`, `./sfn.ts`, `./secrets-manager.ts`). The Lambda bundles
 * take those (the `lambda` condition of `#shared/store/sdk`, `#shared/runtime/sfn`,
 * `#shared/runtime/secrets-manager`); the tests and the local stack take the SDK, and the `lean`
 * test project runs the integration tests on these.
 *
 * It keeps what the SDK's clients do that the adapters rely on:
 * - the endpoint the SDK reads (`endpoint`, else `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`,
 *   else the region's), the region (`AWS_REGION`), and the credentials of the function's role from
 *   the variables the Lambda runtime sets (what the SDK's `fromEnv` reads, the one link of its
 *   chain a function can use; `#shared/runtime/lambda-credentials`);
 * - the standard retry mode: up to `maxAttempts` (`AWS_MAX_ATTEMPTS`, default 3) on throttling,
 *   a 5xx and a lost connection, with full-jitter backoff from 100 ms (500 ms when throttled);
 * - errors by the name the service gives them (as instances of the service's exception classes
 *   where the adapters test for them), with the fields of its answer, `$fault` and `$metadata`;
 * - blobs as bytes and timestamps as dates, as the service's description says;
 * - connections kept alive between requests.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/** A setting given as a value or, as the SDK's resolved configuration holds it, as an async provider. */
type Setting<T> = T | (() => Promise<T>);

interface EndpointParts {
  protocol?: string;
  hostname: string;
  port?: number;
  path?: string;
}

/**
 * An SDK client's configuration, as given (`{ region, endpoint: 'http://localhost:8000' }`) or as
 * an SDK client holds it resolved (`sdkClient.config`): a test hands either to `documentClient`.
 */
export interface AwsClientConfig {
  region?: Setting<string>;
  endpoint?: string | Setting<EndpointParts>;
  credentials?: Setting<Credentials>;
  maxAttempts?: Setting<number>;
  /** How long a connection may stay silent before the attempt fails as a timeout (default 60 s). */
  requestTimeoutMs?: number;
}

/**
 * The SDK waits 300 s (900 s for Step Functions) for a silent socket; these services answer in
 * milliseconds, and the operations task runs for up to 15 minutes: a minute of silence is a dead
 * connection, and the attempt is retried.
 */
const REQUEST_TIMEOUT_MS = 60_000;

/** No credentials in the environment: named as the SDK's provider names it. */
class CredentialsProviderError extends Error {
  override readonly name = 'CredentialsProviderError';
}

/** The role's credentials, from the variables the Lambda runtime sets, as the SDK's `fromEnv` reads them. */
const environmentCredentials = async (): Promise<Credentials> => {
  const {
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_SESSION_TOKEN: sessionToken,
    AWS_CREDENTIAL_EXPIRATION: expiration,
  } = process.env;
  if (!accessKeyId || !secretAccessKey)
    throw new CredentialsProviderError('Unable to find environment variable credentials.');
  return {
    accessKeyId,
    secretAccessKey,
    ...(sessionToken && { sessionToken }),
    ...(expiration && { expiration: new Date(expiration) }),
  };
};

/** What a service answered with an error, as the SDK's exceptions carry it. */
export interface ServiceExceptionMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

/** What an exception is made of, as the SDK's exceptions take it (`new ExecutionAlreadyExists({ message, $metadata })`). */
export interface ServiceExceptionOptions {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: Partial<ServiceExceptionMetadata>;
  [field: string]: unknown;
}

export class AwsServiceException extends Error {
  $fault: 'client' | 'server';
  $metadata: ServiceExceptionMetadata;
  [field: string]: unknown;

  constructor({ name, message, $fault, $metadata, ...fields }: ServiceExceptionOptions) {
    super(message);
    Object.assign(this, fields);
    if (name !== undefined) this.name = name;
    this.$fault = $fault ?? 'client';
    this.$metadata = { attempts: 1, totalRetryDelay: 0, ...$metadata };
  }
}

type ExceptionClass = new (options: ServiceExceptionOptions) => AwsServiceException;

/**
 * One exception class per name, by name: what adapters tell apart with `instanceof` (as the SDK's
 * `ExecutionDoesNotExist`), and what a service's `exceptions` map answers with.
 */
export const exceptionClasses = <const Name extends string>(
  ...names: readonly Name[]
): Readonly<Record<Name, ExceptionClass>> =>
  Object.fromEntries(
    names.map((name) => {
      const Exception = class extends AwsServiceException {
        override readonly name = name;
      };
      return [name, Object.defineProperty(Exception, 'name', { value: name })];
    }),
  ) as unknown as Record<Name, ExceptionClass>;

// biome-ignore lint/suspicious/noExplicitAny: inputs and outputs are typed by the SDK's declarations (`#shared/store/sdk`, `#shared/runtime/sfn`)
export type Loose = any;

/** What a command is to the client: the operation and its input as the service reads it. */
interface JsonCommand {
  readonly operation: string;
  readonly input: unknown;
}

/**
 * A command class with the SDK's shape and name (`new StartExecutionCommand(input)`) for
 * `operation`: tests and logs tell commands apart by their class's name.
 */
export const commandClass = (operation: string) =>
  Object.defineProperty(
    class {
      readonly operation = operation;
      constructor(readonly input: Loose) {}
    },
    'name',
    { value: `${operation}Command` },
  );

/** The SDK's throttling errors (retried with the longer backoff). */
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'TransactionInProgressException',
  'LimitExceededException',
  'RequestThrottled',
]);
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'InternalServerError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
]);
/** Network errors the SDK retries (its `NODEJS_NETWORK_ERROR_CODES` and timeouts), by Node's code. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** The server errors the SDK retries whatever their name. */
const TRANSIENT_STATUSES = new Set([500, 502, 503, 504]);
const BACKOFF_CAP_MS = 20_000;

const throttled = (error: unknown): boolean =>
  error instanceof AwsServiceException && THROTTLING.has(error.name);

const retryable = (error: unknown): boolean =>
  throttled(error) ||
  (error instanceof AwsServiceException &&
    (TRANSIENT_STATUSES.has(error.$metadata.httpStatusCode ?? 0) || TRANSIENT_NAMES.has(error.name))) ||
  TRANSIENT_CODES.has((error as { code?: string } | null)?.code ?? '');

interface Endpoint {
  https: boolean;
  hostname: string;
  port?: number;
  path: string;
}

const setting = async <T>(value: Setting<T> | undefined): Promise<T | undefined> =>
  typeof value === 'function' ? (value as () => Promise<T>)() : value;

/** Where a service's requests go, from the client's `endpoint`, the environment and the region. */
export const endpointOf = (
  service: Pick<JsonService, 'endpointId' | 'hostPrefix'>,
  given: string | EndpointParts | undefined,
  region: string,
): Endpoint => {
  // As the SDK reads them: an empty variable is unset, and all are ignored on request.
  const fromEnv = (name: string) =>
    process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true' ? undefined : process.env[name] || undefined;
  const configured =
    given || fromEnv(`AWS_ENDPOINT_URL_${service.endpointId}`) || fromEnv('AWS_ENDPOINT_URL');
  if (configured === undefined) {
    const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    return { https: true, hostname: `${service.hostPrefix}.${region}.${domain}`, path: '/' };
  }
  if (typeof configured === 'string') {
    const url = new URL(configured);
    return {
      https: url.protocol === 'https:',
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname || '/',
    };
  }
  return {
    https: configured.protocol !== 'http:' && configured.protocol !== 'http',
    hostname: configured.hostname,
    ...(configured.port !== undefined && { port: configured.port }),
    path: configured.path || '/',
  };
};

const attemptsOf = (given: number | undefined): number => {
  const fromEnv = Number(process.env.AWS_MAX_ATTEMPTS);
  return Math.max(1, given ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 3));
};

interface Settings {
  region: string;
  endpoint: Endpoint;
  maxAttempts: number;
  requestTimeoutMs: number;
  agent: HttpAgent | HttpsAgent;
}

const settingsOf = async (service: JsonService, config: AwsClientConfig): Promise<Settings> => {
  const region = (await setting(config.region)) ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error('Region is missing: set AWS_REGION or give the client a region');
  const endpoint = endpointOf(
    service,
    typeof config.endpoint === 'string' ? config.endpoint : await setting(config.endpoint),
    region,
  );
  return {
    region,
    endpoint,
    maxAttempts: attemptsOf(await setting(config.maxAttempts)),
    requestTimeoutMs: config.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    agent: endpoint.https
      ? new HttpsAgent({ keepAlive: true, maxSockets: 50 })
      : new HttpAgent({ keepAlive: true, maxSockets: 50 }),
  };
};

/** JSON as the protocol writes it: blobs (Uint8Arrays, as the SDK takes them) as base64 strings. */
const json = (input: unknown): string =>
  JSON.stringify(input, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Uint8Array ? Buffer.from(original).toString('base64') : value;
  });

/** A blob as the protocol writes it (base64) → its bytes. */
export const blob = (value: string): Uint8Array => new Uint8Array(Buffer.from(value, 'base64'));

/** A timestamp as the protocol writes it (seconds since the epoch) → its date. */
export const timestamp = (value: number): Date => new Date(Math.round(value * 1000));

/**
 * How to read a service's answers and errors: where its blobs and timestamps are (a JSON reviver:
 * the field's name and value), and which exception class an error of a given name is.
 */
export interface JsonService {
  /** The SigV4 signing name: `dynamodb`, `states`, `secretsmanager`. */
  signingName: string;
  /** The host name's first label: `dynamodb`, `states`, `secretsmanager`. */
  hostPrefix: string;
  /** The `X-Amz-Target` prefix: `DynamoDB_20120810`, `AWSStepFunctions`, `secretsmanager`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** What follows `AWS_ENDPOINT_URL_` in the variable that overrides its endpoint: `DYNAMODB`, `SFN`. */
  endpointId: string;
  reviver?: (key: string, value: unknown) => unknown;
  exceptions?: Readonly<Record<string, ExceptionClass>>;
}

/** An answer's JSON object; undefined for a body that is not one (a proxy's error page). */
const parsed = (text: string, reviver: JsonService['reviver']): Record<string, unknown> | undefined => {
  try {
    const value: unknown = text ? JSON.parse(text, reviver) : {};
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * An error's name as the SDK reads it: the `x-amzn-errortype` header, else the body's `__type` or
 * `code`, without a namespace (`…#Name`) or a suffix (`Name:http://…`); else by status.
 */
const errorName = (header: string | undefined, body: Record<string, unknown>, status: number): string => {
  const given = [header, body.__type, body.code].find(
    (value): value is string => typeof value === 'string' && value !== '',
  );
  if (given) return given.split(':')[0]?.split('#').at(-1) || given;
  if (status === 429) return 'TooManyRequestsException';
  if (status === 503) return 'ServiceUnavailable';
  return status >= 500 ? 'InternalServerError' : `HTTP${status}`;
};

interface Answer {
  status: number;
  requestId?: string;
  errorType?: string;
  body: string;
}

export class AwsJsonClient {
  private readonly settings: () => Promise<Settings>;
  private readonly credentials: () => Promise<Credentials>;
  private resolved?: Settings;
  private cached?: Credentials;

  constructor(
    private readonly service: JsonService,
    readonly config: AwsClientConfig = {},
  ) {
    let pending: Promise<Settings> | undefined;
    this.settings = () => {
      pending ??= settingsOf(service, config).then(
        (settings) => {
          this.resolved = settings;
          return settings;
        },
        (error: unknown) => {
          // Not kept: the next call resolves them again (a provider that failed once may answer).
          pending = undefined;
          throw error;
        },
      );
      return pending;
    };
    const { credentials } = config;
    this.credentials =
      typeof credentials === 'function'
        ? credentials
        : credentials
          ? async () => credentials
          : environmentCredentials;
  }

  /** `operation` (`GetItem`, `StartExecution`, …) with its input as the service reads it. */
  async call(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const settings = await this.settings();
    const body = json(input);
    let totalRetryDelay = 0;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(settings, operation, body);
      } catch (error) {
        // Every error that leaves carries `$metadata`, as the SDK's do: callers tell an AWS
        // failure (a lost connection, a timeout) from a bug by it (the mail intake retries those).
        if (error !== null && typeof error === 'object') {
          const { $metadata } = error as { $metadata?: Partial<ServiceExceptionMetadata> };
          Object.assign(error, { $metadata: { ...$metadata, attempts: attempt, totalRetryDelay } });
        }
        if (attempt >= settings.maxAttempts || !retryable(error)) throw error;
        const base = throttled(error) ? 500 : 100;
        const delay = Math.floor(Math.random() * Math.min(BACKOFF_CAP_MS, base * 2 ** (attempt - 1)));
        totalRetryDelay += delay;
        await new Promise((done) => setTimeout(done, delay));
      }
    }
  }

  /** The SDK client's `send`, for commands whose input and output need no translation. */
  send(command: JsonCommand): Promise<Loose> {
    return this.call(command.operation, command.input);
  }

  destroy(): void {
    this.resolved?.agent.destroy();
  }

  private async attempt(
    settings: Settings,
    operation: string,
    body: string,
  ): Promise<Record<string, unknown>> {
    const { status, requestId, errorType, body: text } = await this.post(settings, operation, body);
    const answer = parsed(text, this.service.reviver);
    const $metadata = { httpStatusCode: status, ...(requestId && { requestId }) };
    if (status >= 200 && status < 300) {
      if (answer) return answer;
      // An answer that cannot be read is not an empty one: a read would pass for "not found".
      throw new AwsServiceException({
        name: 'DeserializationError',
        message: `${operation}: the answer (HTTP ${status}) is not a JSON object`,
        $fault: 'server',
        $metadata,
      });
    }
    const { __type: _type, code: _code, message, Message, ...fields } = answer ?? {};
    const name = errorName(errorType, answer ?? {}, status);
    const Exception = this.service.exceptions?.[name] ?? AwsServiceException;
    throw new Exception({
      ...fields,
      name,
      message: String(message ?? Message ?? name),
      $fault: status >= 500 ? 'server' : 'client',
      $metadata,
    });
  }

  private async currentCredentials(): Promise<Credentials> {
    const expires = this.cached?.expiration?.getTime();
    if (!this.cached || (expires !== undefined && expires - Date.now() < 5 * 60_000)) {
      this.cached = await this.credentials();
    }
    return this.cached;
  }

  private async post(
    { endpoint, region, agent, requestTimeoutMs }: Settings,
    operation: string,
    body: string,
  ): Promise<Answer> {
    const credentials = await this.currentCredentials();
    const signed = aws4.sign(
      {
        // With its port, as the SDK sends it (a proxy may check it).
        host: endpoint.port === undefined ? endpoint.hostname : `${endpoint.hostname}:${endpoint.port}`,
        path: endpoint.path,
        method: 'POST',
        service: this.service.signingName,
        region,
        headers: {
          'Content-Type': `application/x-amz-json-${this.service.jsonVersion}`,
          'X-Amz-Target': `${this.service.targetPrefix}.${operation}`,
        },
        body,
      },
      {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken && { sessionToken: credentials.sessionToken }),
      },
    );
    const send = endpoint.https ? httpsRequest : httpRequest;
    return new Promise<Answer>((resolve, reject) => {
      const request = send(
        {
          hostname: endpoint.hostname,
          ...(endpoint.port !== undefined && { port: endpoint.port }),
          path: endpoint.path,
          method: 'POST',
          headers: signed.headers,
          agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const requestId = response.headers['x-amzn-requestid'];
            const errorType = response.headers['x-amzn-errortype'];
            resolve({
              status: response.statusCode ?? 0,
              ...(typeof requestId === 'string' && { requestId }),
              ...(typeof errorType === 'string' && { errorType }),
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
        },
      );
      // A connection silent this long is dead: the attempt fails as a timeout, which is retried.
      request.setTimeout(requestTimeoutMs, () =>
        request.destroy(
          Object.assign(new Error(`${operation}: no answer within ${requestTimeoutMs} ms`), {
            name: 'TimeoutError',
            code: 'ETIMEDOUT',
          }),
        ),
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}
