import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdentity } from '#infra/local/dev-key';
import { person, startTestStack, type TestStack } from '#test/support/local-stack';

/**
 * The console's collision detection and attachments on the local stack, over HTTP as the console
 * uses them: a file uploaded from the console's origin straight to the local S3, listed on a
 * reply, downloaded by the agent; heartbeats that wake nothing (no workflow step, no mail, no
 * report), and presence that the local clock expires.
 */

let stack: TestStack;
const failures: string[] = [];

const alice: DevIdentity = { email: person('alice'), role: 'requester' };
const tina: DevIdentity = { email: person('tina'), role: 'agent', tiers: [1] };
const tom: DevIdentity = { email: person('tom'), role: 'agent', tiers: [1] };
const sam: DevIdentity = { email: person('sam'), role: 'supervisor' };

const PNG = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7);

beforeAll(async () => {
  stack = await startTestStack({
    consolePort: 0,
    onError: (error, where) => failures.push(`${where}: ${String(error)}`),
  });
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(() => expect(failures).toEqual([]));

const open = async (): Promise<number> => {
  const created = await stack.api<{ number: number }>('/tickets', {
    method: 'POST',
    as: alice,
    body: { subject: 'Docking station', description: 'The second screen stays black.' },
  });
  expect(created.status).toBe(201);
  await stack.settle();
  return created.body.number;
};

type Upload = { id: string; upload: { url: string; fields: Record<string, string> } };

/** As the console does it: ask for an upload, post the file from the console's origin. */
const upload = async (number: number, as: DevIdentity, bytes: Uint8Array, size = bytes.length) => {
  const asked = await stack.api<Upload>(`/tickets/${number}/attachments`, {
    method: 'POST',
    as,
    body: { filename: 'screen.png', contentType: 'image/png', size },
  });
  expect(asked.status).toBe(201);
  const form = new FormData();
  for (const [name, value] of Object.entries(asked.body.upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: 'image/png' }));
  const posted = await fetch(asked.body.upload.url, {
    method: 'POST',
    body: form,
    headers: { origin: String(stack.consoleUrl).replace(/\/$/, '') },
  });
  return { id: asked.body.id, posted };
};

describe('Local stack: attachments', () => {
  it('upload from the console → reply that lists it → the agent downloads it as a file', async () => {
    const number = await open();

    const { id, posted } = await upload(number, alice, PNG);
    const reply = await stack.api<{ data: unknown }>(`/tickets/${number}/comments`, {
      method: 'POST',
      as: alice,
      body: { body: 'The screen, photographed.', attachments: [id] },
    });
    const link = await stack.api<{ url: string; contentType: string }>(
      `/tickets/${number}/attachments/${id}`,
      {
        as: tina,
      },
    );
    const file = await fetch(link.body.url);

    // The browser may read the upload's answer: the local S3 allows the console's origin.
    expect(posted.status).toBe(204);
    expect(posted.headers.get('access-control-allow-origin')).toBe(
      String(stack.consoleUrl).replace(/\/$/, ''),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.data).toEqual({
      attachments: [{ id, filename: 'screen.png', size: PNG.length, contentType: 'image/png' }],
    });
    expect(link.status).toBe(200);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="screen.png"/);
  });

  it('the console may call the local S3 (its CSP says so) and preflights pass for its origin', async () => {
    const page = await fetch(String(stack.consoleUrl));
    const s3 = new URL(stack.mail.s3Endpoint).origin;
    expect(page.headers.get('content-security-policy')).toMatch(new RegExp(`connect-src [^;]*${s3}`));
    const preflight = await fetch(`${stack.mail.s3Endpoint}/${stack.mail.bucket}`, {
      method: 'OPTIONS',
      headers: {
        origin: String(stack.consoleUrl).replace(/\/$/, ''),
        'access-control-request-method': 'POST',
      },
    });
    expect(preflight.status).toBe(200);
  });

  it('a file over the limit that the stand-in took is refused when the reply lists it', async () => {
    const number = await open();
    const { id, posted } = await upload(number, alice, new Uint8Array(10 * 1024 * 1024 + 1), 1_000);
    expect(posted.status).toBe(204);

    const reply = await stack.api<{ errors: { field: string }[] }>(`/tickets/${number}/comments`, {
      method: 'POST',
      as: alice,
      body: { body: 'A big one.', attachments: [id] },
    });

    expect(reply.status).toBe(422);
    expect(reply.body.errors.map((issue) => issue.field)).toEqual(['body.attachments.0']);
  });

  it('an internal note’s file never reaches the requester', async () => {
    const number = await open();
    const { id } = await upload(number, tina, PNG);
    const note = await stack.api(`/tickets/${number}/comments`, {
      method: 'POST',
      as: tina,
      body: { body: 'Photo of the rack, for us.', public: false, attachments: [id] },
    });
    expect(note.status).toBe(201);

    expect((await stack.api(`/tickets/${number}/attachments/${id}`, { as: alice })).status).toBe(404);
    expect((await stack.api(`/tickets/${number}/attachments/${id}`, { as: tom })).status).toBe(200);
  });
});

describe('Local stack: presence', () => {
  it('heartbeats wake nothing: no workflow step, no mail, no report change', async () => {
    const number = await open();
    await stack.settle();
    const mails = async () =>
      ((await (await fetch(`${stack.mail.sesUrl}store`)).json()) as { emails: unknown[] }).emails.length;
    const report = async () => (await stack.api('/reports/summary', { as: sam })).body;
    const version = async () =>
      (await stack.api<{ version: number }>(`/tickets/${number}`, { as: tina })).body.version;
    const before = {
      version: await version(),
      steps: stack.workflow.stepFunctions.activity(),
      mails: await mails(),
      report: await report(),
    };

    for (let beat = 0; beat < 30; beat++) {
      const answer = await stack.api(`/tickets/${number}/presence`, {
        method: 'PUT',
        as: beat % 2 ? tina : tom,
        body: { state: beat % 5 ? 'viewing' : 'replying' },
      });
      expect(answer.status).toBe(200);
    }
    expect((await stack.api(`/tickets/${number}/presence`, { method: 'DELETE', as: tom })).status).toBe(204);
    await stack.settle();

    expect({
      version: await version(),
      steps: stack.workflow.stepFunctions.activity(),
      mails: await mails(),
      report: await report(),
    }).toEqual(before);
  });

  it('shows who else is on the ticket and its version, and the local clock expires a silent entry', async () => {
    const number = await open();
    await stack.api(`/tickets/${number}/presence`, { method: 'PUT', as: tina, body: { state: 'replying' } });
    const seen = await stack.api<{ ticketVersion: number; items: { email: string; state: string }[] }>(
      `/tickets/${number}/presence`,
      { method: 'PUT', as: tom, body: { state: 'viewing' } },
    );
    expect(seen.body.items.map((item) => [item.email, item.state])).toEqual([
      [tina.email, 'replying'],
      [tom.email, 'viewing'],
    ]);

    await stack.api(`/tickets/${number}/comments`, {
      method: 'POST',
      as: tina,
      body: { body: 'On my way.' },
    });
    await stack.api('/_local/clock', { method: 'POST', body: { advance: 'PT46S' } });
    await stack.settle();
    const later = await stack.api<{ ticketVersion: number; items: { email: string }[] }>(
      `/tickets/${number}/presence`,
      { as: tom },
    );

    expect(later.body.items).toEqual([]);
    expect(later.body.ticketVersion).toBeGreaterThan(seen.body.ticketVersion);
    expect((await stack.api(`/tickets/${number}/presence`, { as: alice })).status).toBe(404);
  });
});
