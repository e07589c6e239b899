import { createHmac } from 'node:crypto';
import { AwsClient } from 'aws4fetch';

/**
 * One S3 bucket's objects, read and written by signed HTTP requests (aws4fetch: SigV4 over the
 * runtime's `fetch`, 11 KiB) rather than through the SDK's S3 client. What Tierdesk does with S3 on
 * a request path is a GET, a HEAD or a PUT of one object; the SDK client for that is some 150 KiB
 * of protocol, checksum and endpoint-rule code that every cold start would parse (the KB searchers,
 * the mail intake). The links and forms it gives browsers are signed the same way: a query-signed
 * GET (aws4fetch) and a POST policy (`presignedPost`, signed as S3 documents it and as the SDK's
 * `createPresignedPost` does, which a test holds it equal to).
 *
 * Credentials are those the Lambda runtime gives the function's role (the same single link the
 * bundled SDK clients use, `#shared/runtime/lambda-credentials`); the endpoint is the SDK's own
 * setting, `AWS_ENDPOINT_URL_S3` (or `AWS_ENDPOINT_URL`), when one is set (a local S3), and the bucket is addressed by path
 * when `TIERDESK_S3_FORCE_PATH_STYLE=true` (s3rver serves buckets by path, not by host name).
 */

const FORCE_PATH_STYLE_VARIABLE = 'TIERDESK_S3_FORCE_PATH_STYLE';

/** Attempts on a 5xx or a 429 (S3's "slow down"), with jittered exponential backoff: the SDK's default. */
const ATTEMPTS = 3;

/** What S3 says of an object: its ETag (quoted, as S3 sends it), size, type and user metadata. */
export interface ObjectHead {
  etag: string;
  size: number;
  contentType?: string;
  /** `x-amz-meta-*` headers, by their lower-case name without the prefix. */
  metadata: Record<string, string>;
}

export interface StoredObject extends ObjectHead {
  body: Buffer;
}

export interface PutOptions {
  contentType?: string;
  contentDisposition?: string;
  metadata?: Readonly<Record<string, string>>;
  /** Write only over this ETag (a conditional write: 412 when another writer came first). */
  ifMatch?: string;
  /** `*`: write only if there is no object yet. */
  ifNoneMatch?: string;
}

/** S3 refused a request: the HTTP status and S3's error code (`NoSuchBucket`, `AccessDenied`, …). */
export class S3RequestError extends Error {
  override readonly name = 'S3RequestError';
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    readonly request: string,
    detail?: string,
  ) {
    super(`${request}: S3 answered ${status}${code ? ` ${code}` : ''}${detail ? ` (${detail})` : ''}`);
  }
}

const META_PREFIX = 'x-amz-meta-';

/** An instant as SigV4 and POST policies write it: ISO 8601 to the second. */
const iso8601 = (instant: Date): string => instant.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The region the function runs in, as the SDK reads it. */
const regionOf = (env: NodeJS.ProcessEnv): string => env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';

/** S3's error document: `<Error><Code>…</Code><Message>…</Message></Error>` (a HEAD has none). */
const failure = async (response: Response, request: string): Promise<S3RequestError> => {
  const text = await response.text().catch(() => '');
  const field = (name: string) => text.match(new RegExp(`<${name}>([^<]*)</${name}>`))?.[1];
  return new S3RequestError(response.status, field('Code'), request, field('Message'));
};

const headOf = (headers: Headers): ObjectHead => {
  const metadata: Record<string, string> = {};
  for (const [name, value] of headers)
    if (name.startsWith(META_PREFIX)) metadata[name.slice(META_PREFIX.length)] = value;
  const contentType = headers.get('content-type');
  return {
    etag: headers.get('etag') ?? '',
    size: Number(headers.get('content-length') ?? 0),
    ...(contentType && { contentType }),
    metadata,
  };
};

export class S3Bucket {
  private client: AwsClient | undefined;

  constructor(
    /** The signing client, made on the first request (credentials missing at load fail that request, not the import). */
    private readonly connect: () => AwsClient,
    readonly name: string,
    /** The URL of the bucket itself, ending in `/`: `https://<bucket>.s3.<region>.amazonaws.com/`. */
    private readonly root: URL,
  ) {}

  /** The object's URL: every key segment escaped, the slashes kept. */
  urlOf(key: string): URL {
    return new URL(key.split('/').map(encodeURIComponent).join('/'), this.root);
  }

  /** The object, or undefined when there is no such key (a missing bucket is an outage, and throws). */
  async get(key: string): Promise<StoredObject | undefined> {
    const found = await this.getIfChanged(key);
    return found === 'unchanged' ? undefined : found;
  }

  /**
   * The object unless its ETag is still `etag` (a 304: no transfer), or undefined when there is
   * no such key.
   */
  async getIfChanged(key: string, etag?: string): Promise<StoredObject | 'unchanged' | undefined> {
    const response = await this.send(key, { method: 'GET', headers: etag ? { 'if-none-match': etag } : {} });
    if (response.status === 304) return 'unchanged';
    if (response.ok) return { ...headOf(response.headers), body: Buffer.from(await response.arrayBuffer()) };
    const error = await failure(response, `GET s3://${this.name}/${key}`);
    if (error.code === 'NoSuchKey') return undefined;
    throw error;
  }

  /**
   * What S3 says of the object, or undefined when it answers 404. A HEAD has no error document,
   * so a missing bucket looks the same; the callers only look at objects the stack keeps.
   */
  async head(key: string): Promise<ObjectHead | undefined> {
    const response = await this.send(key, { method: 'HEAD' });
    if (response.ok) return headOf(response.headers);
    if (response.status === 404) return undefined;
    throw await failure(response, `HEAD s3://${this.name}/${key}`);
  }

  /** Writes the object; a refused conditional write throws with status 412 (or 409 for a race). */
  async put(key: string, body: Uint8Array, options: PutOptions = {}): Promise<void> {
    const headers: Record<string, string> = {};
    if (options.contentType) headers['content-type'] = options.contentType;
    if (options.contentDisposition) headers['content-disposition'] = options.contentDisposition;
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    if (options.ifNoneMatch) headers['if-none-match'] = options.ifNoneMatch;
    for (const [name, value] of Object.entries(options.metadata ?? {}))
      headers[`${META_PREFIX}${name}`] = value;
    const response = await this.send(key, { method: 'PUT', headers, body });
    if (!response.ok) throw await failure(response, `PUT s3://${this.name}/${key}`);
    await response.body?.cancel();
  }

  /**
   * A link that GETs the object for `expiresInSeconds`, with S3's `response-*` overrides of the
   * headers it answers with (`response-content-disposition`, …), all of them signed.
   */
  async presignedGet(
    key: string,
    { expiresInSeconds, query = {} }: { expiresInSeconds: number; query?: Readonly<Record<string, string>> },
  ): Promise<string> {
    const url = this.urlOf(key);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    url.searchParams.set('X-Amz-Expires', String(expiresInSeconds));
    const signed = await this.signer().sign(url, { method: 'GET', aws: { signQuery: true } });
    return signed.url;
  }

  /**
   * A form a browser posts a file with straight to the bucket (S3's POST policy, signature
   * version 4): every field is also a condition of the policy, so none can be changed, and
   * `conditions` adds the others (a `content-length-range`). Valid for `expiresInSeconds`.
   */
  presignedPost(
    key: string,
    {
      fields = {},
      conditions = [],
      expiresInSeconds,
      now = new Date(),
    }: {
      fields?: Readonly<Record<string, string>>;
      conditions?: readonly unknown[];
      expiresInSeconds: number;
      now?: Date;
    },
  ): { url: string; fields: Record<string, string> } {
    const { accessKeyId, secretAccessKey, sessionToken, region = 'us-east-1' } = this.signer();
    const amzDate = iso8601(now).replace(/[-:]/g, '');
    const day = amzDate.slice(0, 8);
    const signed: Record<string, string> = {
      ...fields,
      bucket: this.name,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `${accessKeyId}/${day}/${region}/s3/aws4_request`,
      'X-Amz-Date': amzDate,
      ...(sessionToken && { 'X-Amz-Security-Token': sessionToken }),
    };
    const policy = Buffer.from(
      JSON.stringify({
        expiration: iso8601(new Date(now.getTime() + expiresInSeconds * 1000)),
        conditions: [
          ...conditions,
          ...Object.entries(signed).map(([name, value]) => ({ [name]: value })),
          { key },
        ],
      }),
    ).toString('base64');
    const signingKey = [day, region, 's3', 'aws4_request'].reduce<Buffer>(
      (secret, part) => createHmac('sha256', secret).update(part).digest(),
      Buffer.from(`AWS4${secretAccessKey}`),
    );
    return {
      // The bucket's host (`https://<bucket>.s3.<region>.amazonaws.com/`) or, by path, `…/<bucket>`.
      url: this.root.pathname === '/' ? this.root.href : this.root.href.replace(/\/$/, ''),
      fields: {
        ...signed,
        key,
        Policy: policy,
        'X-Amz-Signature': createHmac('sha256', signingKey).update(policy).digest('hex'),
      },
    };
  }

  private signer(): AwsClient {
    this.client ??= this.connect();
    return this.client;
  }

  private async send(key: string, init: RequestInit): Promise<Response> {
    return this.signer().fetch(this.urlOf(key), init);
  }
}

/**
 * The bucket's URL: `AWS_ENDPOINT_URL_S3` or else `AWS_ENDPOINT_URL` when set, as the SDK reads them
 * (a local S3; the local stack points the general one at a closed port), else the regional endpoint; by
 * host name (virtual-hosted style, as S3 prefers) unless path style is forced.
 */
export const bucketRoot = (bucket: string, env: NodeJS.ProcessEnv = process.env): URL => {
  const region = regionOf(env);
  const endpoint = new URL(
    env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? `https://s3.${region}.amazonaws.com`,
  );
  if (env[FORCE_PATH_STYLE_VARIABLE] === 'true')
    return new URL(`${endpoint.pathname.replace(/\/?$/, '/')}${encodeURIComponent(bucket)}/`, endpoint);
  endpoint.hostname = `${bucket}.${endpoint.hostname}`;
  endpoint.pathname = endpoint.pathname.replace(/\/?$/, '/');
  return endpoint;
};

/**
 * The named bucket, signed with the credentials and region the Lambda runtime sets. They are read
 * on the first request, as the SDK's clients read theirs: a function loads without them.
 */
export const s3BucketFromEnv = (bucket: string, env: NodeJS.ProcessEnv = process.env): S3Bucket =>
  new S3Bucket(
    () => {
      const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = env;
      if (!AWS_ACCESS_KEY_ID || !AWS_SECRET_ACCESS_KEY)
        throw new Error(`S3 bucket ${bucket}: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set`);
      return new AwsClient({
        accessKeyId: AWS_ACCESS_KEY_ID,
        secretAccessKey: AWS_SECRET_ACCESS_KEY,
        ...(AWS_SESSION_TOKEN && { sessionToken: AWS_SESSION_TOKEN }),
        service: 's3',
        region: regionOf(env),
        retries: ATTEMPTS - 1,
      });
    },
    bucket,
    bucketRoot(bucket, env),
  );
