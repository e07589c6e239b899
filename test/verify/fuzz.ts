import fc from 'fast-check';
import nodemailer from 'nodemailer';
import type { DevIdentity } from '#infra/local/dev-key';
import { ROUTES, type RouteDefinition } from '#shared/http/routes';
import { mutatedMail, randomMime } from '#test/fixtures/email/mutate';
import { person } from '#test/support/local-stack';
import { VALID } from './bad-input.ts';
import { Failures, type VerifyPromise } from './promise.ts';
import { sharedStack } from './stack.ts';

/**
 * Fuzz: fast-check draws inputs for every route (JSON bodies of any shape, path parameters and
 * query strings of any text) and mail for the intake (the fixtures mutated byte by byte, random
 * MIME trees). No answer is a 5xx, no promise is left rejected, and nothing is half-written: every
 * ticket touched ends at the version of its newest timeline event, and every ticket a fuzzed
 * create answered 201 for exists — and no other.
 */

const RUNS_PER_ROUTE = 30;
const MAILS = 60;
/** One seed per run, printed, so a failure can be replayed: `VERIFY_FUZZ_SEED=… npm run verify -- fuzz`. */
const SEED = Number(process.env.VERIFY_FUZZ_SEED) || Date.now() % 2_147_483_647;

const body = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(
    fc.constantFrom(
      'subject',
      'description',
      'body',
      'public',
      'reason',
      'summary',
      'resolution',
      'into',
      'vendorId',
      'message',
      'title',
      'category',
      'audience',
      'status',
      'tags',
      'watchers',
      'name',
      'role',
      'tiers',
      'articleId',
      'ticket',
      'limit',
      'urgency',
      'impact',
      'priority',
      'assignee',
    ),
    fc.jsonValue({ maxDepth: 2 }),
  ),
);
const segment = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.nat().map(String),
  fc.constantFrom('1', '2', '0', '-1', 'kb-password-reset'),
);
const query = fc.dictionary(
  fc.constantFrom('view', 'tier', 'status', 'limit', 'cursor', 'q', 'tag', 'category', 'x'),
  fc.string({ maxLength: 60 }),
);

export const fuzz: VerifyPromise = {
  name: 'fuzz',
  async run() {
    const stack = await sharedStack();
    const failures = new Failures();
    const requester: DevIdentity = { email: person('fuzzer'), role: 'requester' };
    const agent: DevIdentity = { email: person('fuzz-agent'), role: 'agent', tiers: [1, 2, 3] };
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);

    let requests = 0;
    let created = 0;
    const touched = new Set<number>();
    try {
      for (const route of ROUTES as readonly RouteDefinition[]) {
        const valid = VALID[route.id]?.body;
        // Mostly a valid body with one field drawn at random, so fuzzing reaches the use cases.
        const near = valid
          ? fc
              .tuple(
                fc.constantFrom(...Object.keys(valid), 'extra'),
                fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.jsonValue({ maxDepth: 2 })),
              )
              .map(([key, value]) => ({ ...valid, [key]: value }))
          : body;
        const draw = fc.oneof({ arbitrary: near, weight: 3 }, { arbitrary: body, weight: 1 });
        const samples = fc.sample(fc.tuple(draw, segment, query, fc.constantFrom(requester, agent)), {
          numRuns: RUNS_PER_ROUTE,
          seed: SEED + requests,
        });
        for (const [json, value, params, as] of samples) {
          const path = route.path
            .replace('{number}', encodeURIComponent(value))
            .replace('{id}', encodeURIComponent(value))
            .replace('{email}', encodeURIComponent(value));
          const search = new URLSearchParams(params).toString();
          const response = await stack.api(`${path}${search ? `?${search}` : ''}`, {
            method: route.method,
            ...(route.auth === 'jwt' && { as }),
            headers: { 'if-match': '*' },
            ...(route.request?.body && { body: json }),
          });
          requests++;
          if (response.status >= 500)
            failures.add(
              `${route.method} ${path}: ${response.status} ${JSON.stringify(response.body).slice(0, 120)} (seed ${SEED})`,
            );
          const number = (response.body as { number?: unknown }).number;
          if (response.status < 300 && typeof number === 'number') touched.add(number);
          if (route.id === 'create-ticket' && response.status === 201 && as === requester) created++;
        }
      }

      // Nothing half-written: every ticket touched reads back whole (see `wholeTicketIssues`).
      for (const number of touched) {
        for (const issue of await wholeTicketIssues(stack, agent, number)) failures.add(issue);
      }
      const mine = await stack.api<{ items: unknown[] }>('/tickets?view=mine&limit=100', { as: requester });
      if (mine.body.items.length !== created)
        failures.add(
          `fuzzed creates answered 201 ${created} times; the requester has ${mine.body.items.length} tickets`,
        );

      // The mail intake: mutated and random mail over SMTP is accepted or refused, never a crash.
      const smtp = nodemailer.createTransport({
        host: '127.0.0.1',
        port: stack.mail.smtpPort,
        secure: false,
      });
      const mails = fc.sample(fc.oneof(mutatedMail, randomMime), { numRuns: MAILS, seed: SEED });
      let refused = 0;
      for (const raw of mails) {
        try {
          await smtp.sendMail({
            envelope: { from: 'fuzz@example.com', to: [stack.mail.supportAddresses[0] as string] },
            raw,
          });
        } catch (error) {
          const code = (error as { responseCode?: number }).responseCode;
          // 552: too large (a size refusal); 451 would be the intake failing on the message.
          if (code === 552) refused++;
          else failures.add(`mail refused with ${code ?? (error as Error).message} (seed ${SEED})`);
        }
      }
      smtp.close();
      for (const reason of rejections)
        failures.add(`unhandled rejection: ${String((reason as Error)?.stack ?? reason).slice(0, 200)}`);
      return {
        figures: `${requests} fuzzed requests over ${ROUTES.length} routes, no 5xx, ${touched.size} tickets touched and whole, ${created} creates = ${mine.body.items.length} tickets; ${MAILS} fuzzed mails through SMTP (${refused} refused for size); seed ${SEED}`,
        ...failures.report(),
      };
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  },
};

/**
 * A ticket and its timeline written together or not at all: no event of a version the ticket
 * never reached, and the events of each version numbered 0, 1, 2, … without a gap. (A version
 * may carry no event: the workflow's bookkeeping of the next deadline writes none.)
 */
export const wholeTicketIssues = async (
  stack: Awaited<ReturnType<typeof sharedStack>>,
  as: DevIdentity,
  number: number,
): Promise<string[]> => {
  const ticket = await stack.api<{ version: number }>(`/tickets/${number}`, { as });
  if (ticket.status !== 200) return [`ticket #${number} does not read back: ${ticket.status}`];
  const ids: string[] = [];
  for (let cursor: string | undefined, first = true; first || cursor; first = false) {
    const page = await stack.api<{ items: { id: string }[]; nextCursor?: string }>(
      `/tickets/${number}/timeline?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      { as },
    );
    ids.push(...page.body.items.map((event) => event.id));
    cursor = page.body.nextCursor;
  }
  const issues: string[] = [];
  const byVersion = new Map<number, number[]>();
  for (const id of ids) {
    const [version, index] = id.split('#').map(Number) as [number, number];
    byVersion.set(version, [...(byVersion.get(version) ?? []), index]);
  }
  for (const [version, indexes] of byVersion) {
    if (version > ticket.body.version)
      issues.push(
        `ticket #${number} is at version ${ticket.body.version} but has an event of version ${version}`,
      );
    const sorted = [...indexes].sort((a, b) => a - b);
    if (sorted.some((index, position) => index !== position))
      issues.push(`ticket #${number} version ${version} has events ${sorted.join(',')}: a gap`);
  }
  return issues;
};
