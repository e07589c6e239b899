import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { fixedClock } from '#shared/domain/clock';
import { S3AttachmentFiles } from '#shared/tickets/adapters/s3/attachment-files';
import { type MailBucket, startMailBucket } from '#test/fixtures/email/mail-bucket';
import { type ApiCall, apiFor } from '#test/support/api';
import { ticketDraft } from '#test/support/fixtures';
import { freshTable } from '#test/support/table';

/**
 * Attachments over the API, with the files in a real local S3 (s3rver): presigned uploads, the
 * stored object checked before a comment lists it (s3rver takes any upload: it does not enforce a
 * POST policy, so the check on the stored object is what holds), downloads after the timeline's
 * visibility check, always as a download.
 */

const alice: DevIdentity = { email: 'alice@example.com', role: 'requester' };
const walt: DevIdentity = { email: 'walt@example.com', role: 'requester' };
const bob: DevIdentity = { email: 'bob@example.com', role: 'requester' };
const tina: DevIdentity = { email: 'tina@example.com', role: 'agent', tiers: [1] };

const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4);
const MB = 1024 * 1024;

let env: Awaited<ReturnType<typeof freshTable>>;
let bucket: MailBucket;
let api: (call: ApiCall) => ReturnType<ReturnType<typeof apiFor>>;

beforeAll(async () => {
  env = await freshTable(fixedClock('2026-11-20T14:00:00.000Z'));
  bucket = await startMailBucket();
  api = apiFor(
    { ...env.tickets, files: new S3AttachmentFiles(bucket.bucketNamed(bucket.bucket)) },
    env.tableName,
    env.endpoint,
  );
});
afterAll(async () => {
  await bucket?.stop();
  await env?.drop();
});

const open = async (): Promise<number> => {
  const { status, json } = await api({
    method: 'POST',
    url: '/tickets',
    as: alice,
    body: { subject: 'Screen flickers', description: 'Since the update.', watchers: [walt.email] },
  });
  expect(status).toBe(201);
  return json.number;
};

interface Upload {
  id: string;
  upload: { url: string; fields: Record<string, string> };
  maxBytes: number;
}

const requestUpload = async (
  number: number,
  as: DevIdentity,
  file: { filename: string; contentType: string; size: number },
): Promise<Upload> => {
  const { status, json } = await api({
    method: 'POST',
    url: `/tickets/${number}/attachments`,
    as,
    body: file,
  });
  expect(status).toBe(201);
  return json;
};

/** Posts the file as a browser would; `fields` may be tampered with (s3rver checks no policy). */
const post = async (upload: Upload['upload'], bytes: Uint8Array, fields: Record<string, string> = {}) => {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...upload.fields, ...fields })) form.append(name, value);
  form.append('file', new Blob([bytes]));
  const response = await fetch(upload.url, { method: 'POST', body: form });
  expect(response.status).toBeLessThan(300);
};

const comment = (number: number, as: DevIdentity, body: Record<string, unknown>) =>
  api({ method: 'POST', url: `/tickets/${number}/comments`, as, body });

const download = (number: number, id: string, as: DevIdentity) =>
  api({ method: 'GET', url: `/tickets/${number}/attachments/${id}`, as });

describe('Handlers: attachments', () => {
  describe('POST /tickets/{number}/attachments', () => {
    it('gives whoever may comment a presigned POST bound to the ticket, the type, the uploader and the size limit', async () => {
      const number = await open();

      const { id, upload, maxBytes } = await requestUpload(number, walt, {
        filename: 'Bildschirmfoto März.png',
        contentType: 'image/png',
        size: PNG.length,
      });

      expect(maxBytes).toBe(10 * MB);
      expect(upload.url).toBe(`${bucket.endpoint}/${bucket.bucket}`);
      expect(upload.fields).toMatchObject({
        key: `uploads/${number}/${id}`,
        'Content-Type': 'image/png',
        'x-amz-meta-uploader': walt.email,
        'x-amz-meta-filename': encodeURIComponent('Bildschirmfoto März.png'),
        Policy: expect.any(String),
        'X-Amz-Signature': expect.any(String),
      });
      const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString('utf8'));
      expect(policy.conditions).toEqual(
        expect.arrayContaining([
          ['content-length-range', 0, 10 * MB],
          { 'Content-Type': 'image/png' },
          { key: `uploads/${number}/${id}` },
        ]),
      );
      // Five minutes, by the signer's clock.
      expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(300_000);
    });

    it('refuses a type off the list or a file over 10 MB: 422 naming the field', async () => {
      const number = await open();

      const html = await api({
        method: 'POST',
        url: `/tickets/${number}/attachments`,
        as: alice,
        body: { filename: 'page.html', contentType: 'text/html', size: 10 },
      });
      const big = await api({
        method: 'POST',
        url: `/tickets/${number}/attachments`,
        as: alice,
        body: { filename: 'disk.zip', contentType: 'application/zip', size: 10 * MB + 1 },
      });
      const svg = await api({
        method: 'POST',
        url: `/tickets/${number}/attachments`,
        as: tina,
        body: { filename: 'logo.svg', contentType: 'image/svg+xml', size: 10 },
      });

      expect([html.status, big.status, svg.status]).toEqual([422, 422, 422]);
      expect(html.json.errors).toEqual([{ field: 'body.contentType', message: expect.any(String) }]);
      expect(big.json.errors).toEqual([{ field: 'body.size', message: expect.any(String) }]);
      expect(svg.json.errors[0].field).toBe('body.contentType');
    });

    it('is for whoever may see the ticket: 404 to anyone else', async () => {
      const number = await open();
      const answer = await api({
        method: 'POST',
        url: `/tickets/${number}/attachments`,
        as: bob,
        body: { filename: 'a.png', contentType: 'image/png', size: 1 },
      });
      expect(answer.status).toBe(404);
    });
  });

  describe('POST /tickets/{number}/comments with attachments', () => {
    it('lists the uploaded file on the reply, and its people download it as a file: attachment, typed, short-lived', async () => {
      const number = await open();
      const { id, upload } = await requestUpload(number, alice, {
        filename: 'Bildschirmfoto März.png',
        contentType: 'image/png',
        size: PNG.length,
      });
      await post(upload, PNG);

      const added = await comment(number, alice, { body: 'The screen, attached.', attachments: [id] });

      expect(added.status).toBe(201);
      expect(added.json.data).toEqual({
        attachments: [
          { id, filename: 'Bildschirmfoto März.png', size: PNG.length, contentType: 'image/png' },
        ],
      });
      for (const who of [alice, walt, tina]) {
        const answer = await download(number, id, who);
        expect(answer.status).toBe(200);
        expect(answer.json).toEqual({
          url: expect.stringContaining(`/uploads/${number}/${id}?`),
          filename: 'Bildschirmfoto März.png',
          contentType: 'image/png',
          size: PNG.length,
          expiresAt: '2026-11-20T14:05:00.000Z',
        });
      }
      const { json } = await download(number, id, walt);
      const url = new URL(json.url);
      expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
      const file = await fetch(json.url);
      expect(file.status).toBe(200);
      expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
      expect(file.headers.get('content-disposition')).toBe(
        `attachment; filename="Bildschirmfoto_Marz.png"; filename*=UTF-8''Bildschirmfoto%20M%C3%A4rz.png`,
      );
      expect(file.headers.get('content-type')).toBe('image/png');
      expect(file.headers.get('cache-control')).toBe('private, no-store');
    });

    it('checks the stored object, not what the upload said: too large or of another type is a 422 naming it, and nothing is written', async () => {
      const number = await open();
      const large = await requestUpload(number, alice, {
        filename: 'log.txt',
        contentType: 'text/plain',
        size: 100,
      });
      const html = await requestUpload(number, alice, {
        filename: 'page.png',
        contentType: 'image/png',
        size: 12,
      });
      const fine = await requestUpload(number, alice, {
        filename: 'ok.png',
        contentType: 'image/png',
        size: 12,
      });
      // The local S3 takes what no policy allows, as the stand-in it is.
      await post(large.upload, new Uint8Array(10 * MB + 1));
      await post(html.upload, PNG, { 'Content-Type': 'text/html' });
      await post(fine.upload, PNG);

      const refused = await comment(number, alice, {
        body: 'Three files.',
        attachments: [fine.id, large.id, html.id],
      });

      expect(refused.status).toBe(422);
      expect(refused.json.errors).toEqual([
        { field: 'body.attachments.1', message: expect.stringContaining('at most 10485760') },
        { field: 'body.attachments.2', message: expect.stringContaining('text/html') },
      ]);
      const ticket = await api({ method: 'GET', url: `/tickets/${number}`, as: alice });
      expect(ticket.json.version).toBe(1);
      expect((await download(number, fine.id, alice)).status).toBe(404);
    });

    it('refuses a file never uploaded, someone else’s upload, one already listed, and more than five', async () => {
      const number = await open();
      const never = await requestUpload(number, alice, {
        filename: 'a.png',
        contentType: 'image/png',
        size: 12,
      });
      const walts = await requestUpload(number, walt, {
        filename: 'b.png',
        contentType: 'image/png',
        size: 12,
      });
      const listed = await requestUpload(number, alice, {
        filename: 'c.png',
        contentType: 'image/png',
        size: 12,
      });
      await post(walts.upload, PNG);
      await post(listed.upload, PNG);
      expect((await comment(number, alice, { body: 'First.', attachments: [listed.id] })).status).toBe(201);

      const refused = await comment(number, alice, {
        body: 'Again.',
        attachments: [never.id, walts.id, listed.id],
      });
      const six = await comment(number, alice, { body: 'Many.', attachments: Array(6).fill(listed.id) });

      expect(refused.status).toBe(422);
      expect(refused.json.errors.map((issue: { field: string }) => issue.field)).toEqual([
        'body.attachments.0',
        'body.attachments.1',
        'body.attachments.2',
      ]);
      expect(six.status).toBe(400);
    });

    it('keeps an internal note’s file the desk’s: its requester and watchers get 404, and never see it listed', async () => {
      const number = await open();
      const { id, upload } = await requestUpload(number, tina, {
        filename: 'firmware.zip',
        contentType: 'application/zip',
        size: PNG.length,
      });
      await post(upload, PNG);

      const note = await comment(number, tina, {
        body: 'Vendor firmware, for us.',
        public: false,
        attachments: [id],
      });

      expect(note.status).toBe(201);
      expect((await download(number, id, tina)).status).toBe(200);
      expect((await download(number, id, alice)).status).toBe(404);
      expect((await download(number, id, walt)).status).toBe(404);
      expect((await download(number, id, bob)).status).toBe(404);
      const timeline = await api({ method: 'GET', url: `/tickets/${number}/timeline`, as: alice });
      expect(JSON.stringify(timeline.json)).not.toContain(id);
    });
  });

  describe('GET /tickets/{number}/attachments/{id}', () => {
    it('serves a kept mail attachment the same way, and anything off the list as opaque bytes', async () => {
      // Prepare: a ticket from a mail, as the intake writes it: the file kept, listed with its id
      const key = bucket.attachments.keyOf(0, 'abcdef0123456789abcdef01', 'invoice.html');
      const { ticket } = await env.store.createTicket(ticketDraft('2026-11-20T14:00:00.000Z'), undefined, {
        createdData: () => ({
          attachments: [
            {
              id: 'abcdef0123456789abcdef01',
              filename: 'invoice.html',
              name: 'invoice.html',
              contentType: 'text/html',
              size: 13,
              key,
            },
          ],
        }),
      });
      await bucket.attachments.put(key, {
        filename: 'invoice.html',
        contentType: 'text/html',
        content: Buffer.from('<b>due</b>!!!'),
      });

      const answer = await download(ticket.number, 'abcdef0123456789abcdef01', alice);

      expect(answer.status).toBe(200);
      expect(answer.json).toMatchObject({
        filename: 'invoice.html',
        contentType: 'application/octet-stream',
        size: 13,
      });
      const file = await fetch(answer.json.url);
      expect(await file.text()).toBe('<b>due</b>!!!');
      expect(file.headers.get('content-type')).toBe('application/octet-stream');
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.html"/);
      expect((await download(ticket.number, 'abcdef0123456789abcdef01', bob)).status).toBe(404);
      expect((await download(ticket.number, 'no-such-attachment', alice)).status).toBe(404);
    });
  });
});
