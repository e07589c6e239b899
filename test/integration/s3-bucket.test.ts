import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3RequestError, s3BucketFromEnv } from '#shared/runtime/s3-bucket';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';

/**
 * The signed-fetch S3 access the functions use on their request paths, against a real S3 API
 * (s3rver): what a PUT says of an object comes back from a HEAD and a GET, a GET on the current
 * ETag costs no transfer, and S3's refusals arrive as errors with their status and code.
 */

let s3: MailBucket;
beforeAll(async () => {
  s3 = await startMailBucket();
});
afterAll(async () => {
  await s3?.stop();
});

describe('Class: S3Bucket', () => {
  it('writes an object with its type, disposition and metadata, and reads all of them back', async () => {
    const bucket = s3.bucketNamed(s3.bucket);
    const key = 'uploads/7/Überweisung März (final).pdf';
    const body = Buffer.from('%PDF-1.7 not really');

    await bucket.put(key, body, {
      contentType: 'application/pdf',
      contentDisposition: 'attachment; filename="x.pdf"',
      metadata: { 'built-at': '2026-12-05T07:00:00.000Z', uploader: 'u-1' },
    });

    const head = await bucket.head(key);
    expect(head).toMatchObject({
      size: body.length,
      contentType: 'application/pdf',
      metadata: { 'built-at': '2026-12-05T07:00:00.000Z', uploader: 'u-1' },
    });
    expect(head?.etag).toMatch(/^"[0-9a-f]+"$/);
    const got = await bucket.get(key);
    expect(got?.body.equals(body)).toBe(true);
    expect(got?.etag).toBe(head?.etag);
  });

  it('answers unchanged to the current ETag and the object to an older one', async () => {
    const bucket = s3.bucketNamed(s3.bucket);
    await bucket.put('kb/etag.json', Buffer.from('one'));
    const first = await bucket.get('kb/etag.json');
    expect(await bucket.getIfChanged('kb/etag.json', first?.etag)).toBe('unchanged');

    await bucket.put('kb/etag.json', Buffer.from('two'));
    const second = await bucket.getIfChanged('kb/etag.json', first?.etag);
    expect(second !== 'unchanged' && second?.body.toString()).toBe('two');
  });

  it('answers undefined for a key nobody wrote, to a GET and to a HEAD', async () => {
    const bucket = s3.bucketNamed(s3.bucket);
    expect(await bucket.get('nothing/here')).toBeUndefined();
    expect(await bucket.head('nothing/here')).toBeUndefined();
  });

  it('throws S3’s refusal with its status and code: a missing bucket is an outage, not a missing object', async () => {
    const gone = s3.bucketNamed('no-such-bucket');
    const refusal = await gone.put('k', Buffer.from('x')).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(S3RequestError);
    expect(refusal).toMatchObject({ status: 404, code: 'NoSuchBucket' });
    expect(String(refusal)).toContain('PUT s3://no-such-bucket/k: S3 answered 404 NoSuchBucket');
    await expect(gone.get('k')).rejects.toMatchObject({ status: 404, code: 'NoSuchBucket' });
  });

  it('signs every request for S3 in the function’s region, with the session token of its role', async () => {
    // Prepare: an endpoint that records what reaches it (s3rver does not check signatures).
    const seen: IncomingHttpHeaders[] = [];
    const recorder = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, { etag: '"1"' }).end();
    });
    await new Promise<void>((listening) => recorder.listen(0, '127.0.0.1', listening));
    const { port } = recorder.address() as AddressInfo;
    try {
      const bucket = s3BucketFromEnv('tierdesk-kb', {
        AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
        TIERDESK_S3_FORCE_PATH_STYLE: 'true',
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'ASIAROLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'session-token',
      });

      await bucket.put('kb/index.json.gz', Buffer.from('x'), { ifNoneMatch: '*' });
      await bucket.head('kb/index.json.gz');

      expect(seen).toHaveLength(2);
      for (const headers of seen) {
        expect(headers.authorization).toMatch(
          /^AWS4-HMAC-SHA256 Credential=ASIAROLE\/\d{8}\/eu-central-1\/s3\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
        );
        expect(headers['x-amz-security-token']).toBe('session-token');
      }
      // The condition is signed too: a proxy cannot strip it and turn the write unconditional.
      expect(seen[0]?.authorization).toContain('if-none-match');
    } finally {
      recorder.close();
    }
  });
});
