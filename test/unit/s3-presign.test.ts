import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { s3BucketFromEnv } from '#shared/runtime/s3-bucket';

/**
 * The links and forms the functions give browsers, signed without the SDK, against what the SDK's
 * own presigners make of the same request at the same instant: the same signature, so S3 takes
 * them as it takes the SDK's.
 */

const NOW = new Date('2026-12-05T08:00:00.000Z');
const ROLE = { accessKeyId: 'ASIAROLEKEY', secretAccessKey: 'role-secret', sessionToken: 'role-session' };
const BUCKET = 'tierdesk-files';

const ours = (region: string, env: Record<string, string> = {}) =>
  s3BucketFromEnv(BUCKET, {
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: ROLE.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ROLE.secretAccessKey,
    AWS_SESSION_TOKEN: ROLE.sessionToken,
    ...env,
  });
const sdk = (region: string, extra: { endpoint?: string; forcePathStyle?: boolean } = {}) =>
  new S3Client({ region, credentials: ROLE, ...extra });

beforeAll(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterAll(() => {
  vi.useRealTimers();
});

describe('Method: S3Bucket.presignedPost', () => {
  it.each([
    ['at the regional endpoint', 'eu-central-1', {}, {}],
    [
      'at a local S3, by path',
      'us-east-1',
      { AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569', TIERDESK_S3_FORCE_PATH_STYLE: 'true' },
      { endpoint: 'http://127.0.0.1:4569', forcePathStyle: true },
    ],
  ])('signs the policy as the SDK does %s', async (_where, region, env, client) => {
    const key = 'uploads/1042/0b8f0c';
    const fields = {
      'Content-Type': 'image/png',
      'x-amz-meta-uploader': 'alice@example.com',
      'x-amz-meta-filename': 'Screenshot%202026.png',
    };
    const conditions = [['content-length-range', 0, 10_485_760]];

    const form = ours(region, env).presignedPost(key, {
      fields,
      conditions,
      expiresInSeconds: 900,
      now: NOW,
    });

    expect(form).toEqual(
      await createPresignedPost(sdk(region, client), {
        Bucket: BUCKET,
        Key: key,
        Fields: fields,
        Conditions: conditions as never,
        Expires: 900,
      }),
    );
    const policy = JSON.parse(Buffer.from(form.fields.Policy as string, 'base64').toString('utf8'));
    expect(policy.expiration).toBe('2026-12-05T08:15:00Z');
    expect(policy.conditions).toContainEqual({ 'x-amz-meta-uploader': 'alice@example.com' });
  });
});

describe('Method: S3Bucket.presignedGet', () => {
  it('signs a download link, with its response headers, as the SDK does', async () => {
    const key = 'uploads/1042/0b8f0c';
    const response = {
      'response-cache-control': 'private, no-store',
      'response-content-disposition': `attachment; filename="Screenshot_2026.png"; filename*=UTF-8''Screenshot%202026.png`,
      'response-content-type': 'image/png',
    };
    // The SDK's links also name the operation, the payload hash and checksum mode, all signed: given
    // here too, so that the two requests are the same and their signatures comparable.
    const link = new URL(
      await ours('eu-west-1').presignedGet(key, {
        expiresInSeconds: 300,
        query: {
          ...response,
          'x-id': 'GetObject',
          'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
          'x-amz-checksum-mode': 'ENABLED',
        },
      }),
    );
    const theirs = new URL(
      await getSignedUrl(
        sdk('eu-west-1'),
        new GetObjectCommand({
          Bucket: BUCKET,
          Key: key,
          ResponseCacheControl: response['response-cache-control'],
          ResponseContentDisposition: response['response-content-disposition'],
          ResponseContentType: response['response-content-type'],
        }),
        { expiresIn: 300 },
      ),
    );

    expect(`${link.origin}${link.pathname}`).toBe(`${theirs.origin}${theirs.pathname}`);
    expect(Object.fromEntries(link.searchParams)).toEqual(Object.fromEntries(theirs.searchParams));
    expect(link.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(link.searchParams.get('X-Amz-Security-Token')).toBe(ROLE.sessionToken);
  });
});
