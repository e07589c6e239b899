/**
 * `npm run bench`: what the foundation costs, measured in one run on this machine and written
 * to test/bench/results.md. Figures are relative to each other (this machine is shared and
 * noisy); DynamoDB Local is far slower than DynamoDB, so latencies here are upper bounds of
 * handler overhead, not predictions for AWS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { createTierdeskApp } from '#infra/tierdesk-stack';
import { DynamoConfigStore } from '#shared/config/adapters/dynamodb';
import { configReader } from '#shared/config/reader';
import { systemClock } from '#shared/domain/clock';
import type { Ticket } from '#shared/domain/ticket';
import { documentClient } from '#shared/store/client';
import { createTableInput } from '#shared/store/table';
import { DynamoAssignmentLedger } from '#shared/tickets/adapters/dynamodb/assignment';
import { DynamoDirectory } from '#shared/tickets/adapters/dynamodb/directory';
import { DynamoTicketStore } from '#shared/tickets/adapters/dynamodb/tickets';
import { apiFor } from '#test/support/api';
import { ticketDraft } from '#test/support/fixtures';

// Handlers emit EMF metrics and logs to stdout; the bench reports its own figures instead.
Object.assign(process.env, { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'CRITICAL' });

const lines: string[] = [`# Benchmarks (${new Date().toISOString()}, Node ${process.versions.node})`, ''];
const say = (line = '') => {
  console.log(line);
  lines.push(line);
};
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
const round = (ms: number) => Math.round(ms * 10) / 10;

// ---- 1. Lambda bundles: the very assets `cdk synth` produces ----------------------------------
const outdir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-'));
const { app, stack } = createTierdeskApp({ outdir });
app.synth();
const template = JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8'));
type Resource = { Type: string; Properties?: { Code?: { S3Key?: unknown } } };
// A function's code is the asset whose hash names its S3 key: `<hash>.zip` ↔ `asset.<hash>/`.
const functions = Object.entries(template.Resources as Record<string, Resource>)
  .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
  .flatMap(([logicalId, resource]) => {
    const key = resource.Properties?.Code?.S3Key;
    return typeof key === 'string'
      ? [{ logicalId, asset: join(outdir, `asset.${key.replace(/\.zip$/, '')}`) }]
      : [];
  });

/** Time to load a bundle, measured inside a fresh Node process (what a cold start pays for the code). */
const importMs = (file: string) => {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const runs = Array.from({ length: 5 }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          ...process.env,
          TABLE_NAME: 'bench',
          WORKFLOW_ARN: 'arn:aws:states:eu-west-1:123456789012:stateMachine:bench',
          AWS_REGION: 'eu-west-1',
          // What the stack gives the mail and knowledge-base functions, read when they load.
          TIERDESK_SUPPORT_ADDRESSES: 'support@example.com',
          TIERDESK_MAIL_BUCKET: 'bench-mail',
          TIERDESK_KB_BUCKET: 'bench-kb',
        },
        encoding: 'utf8',
      }).trim(),
    ),
  ).sort((a, b) => a - b);
  return percentile(runs, 0.5);
};
say('## Lambda bundles (minified ESM, SDK bundled)');
say('');
say('| function | bundle KiB | gzip KiB | module load ms (median of 5 fresh processes) |');
say('|---|---:|---:|---:|');
for (const { logicalId, asset } of functions) {
  const file = readdirSync(asset).find((name) => /^index\.m?js$/.test(name));
  if (!file) continue;
  const code = readFileSync(join(asset, file));
  const name = logicalId.replace(/Function[0-9A-F]{8}$/, '');
  say(
    `| ${name} | ${round(statSync(join(asset, file)).size / 1024)} | ${round(gzipSync(code).length / 1024)} | ${round(importMs(join(asset, file)))} |`,
  );
}
rmSync(outdir, { recursive: true, force: true });

// ---- 2. handlers in process against DynamoDB Local ---------------------------------------------
const dynamo = await startDynamoDbLocal();
const client = new DynamoDBClient(localClientConfig(dynamo.endpoint));
await client.send(new CreateTableCommand(createTableInput('bench')));
const store = new DynamoTicketStore(documentClient(client), 'bench', systemClock);
const config = configReader(new DynamoConfigStore(documentClient(client), 'bench'));
const directory = new DynamoDirectory(documentClient(client), 'bench');
const assignments = new DynamoAssignmentLedger(documentClient(client), 'bench');
const api = apiFor(
  { store, directory, assignments, config, clock: systemClock, orgDomains: ['example.com'] },
  'bench',
  dynamo.endpoint,
);
const requester = { email: 'bench@example.com', role: 'requester' } as const;
const agent = { email: 'agent@example.com', role: 'agent', tiers: [1] } as const;

const time = async (n: number, fn: (i: number) => Promise<unknown>) => {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
};
const N = 150;
await time(20, () =>
  api({ method: 'POST', url: '/tickets', as: requester, body: { subject: 'warm', description: 'up' } }),
);
const create = await time(N, (i) =>
  api({ method: 'POST', url: '/tickets', as: requester, body: { subject: `Bench ${i}`, description: 'x' } }),
);
const get = await time(N, (i) => api({ method: 'GET', url: `/tickets/${(i % 100) + 1}`, as: requester }));
const queue = await time(N, () =>
  api({ method: 'GET', url: '/tickets?view=queue&tier=1&limit=25', as: agent }),
);
const invalid = await time(N, () =>
  api({ method: 'POST', url: '/tickets', as: requester, body: { subject: '' } }),
);
say('');
say(`## Handlers in process on DynamoDB Local (${N} sequential requests each)`);
say('');
say('| request | p50 ms | p95 ms |');
say('|---|---:|---:|');
for (const [name, samples] of [
  ['POST /tickets (counter + 2-item transaction)', create],
  ['GET /tickets/{number}', get],
  ['GET /tickets?view=queue (one Query)', queue],
  ['POST /tickets, invalid body (400, no I/O)', invalid],
] as const) {
  say(`| ${name} | ${round(percentile(samples, 0.5))} | ${round(percentile(samples, 0.95))} |`);
}

// ---- 3. optimistic locking under contention ------------------------------------------------------
say('');
say('## Concurrent writers on one ticket (optimistic locking, retried with jitter)');
say('');
say('| writers | all landed | total ms | ms per write | vs 1 writer |');
say('|---:|:---:|---:|---:|---:|');
const now = new Date().toISOString();
const comment = (current: Ticket) => ({
  ticket: current,
  events: [{ type: 'comment' as const, at: now, actor: 'bench@example.com', public: true, body: 'x' }],
});
let single = 0;
for (const writers of [1, 10, 50]) {
  const { ticket } = await store.createTicket(ticketDraft(now, { requester: 'bench@example.com' }));
  const start = performance.now();
  await Promise.all(Array.from({ length: writers }, () => store.mutateTicket(ticket.number, comment)));
  const total = performance.now() - start;
  const landed = (await store.getTicket(ticket.number))?.version === writers + 1;
  const perWrite = total / writers;
  if (writers === 1) single = perWrite;
  say(
    `| ${writers} | ${landed ? 'yes' : 'NO'} | ${Math.round(total)} | ${round(perWrite)} | ${round(perWrite / single)}× |`,
  );
}
client.destroy();
await dynamo.stop();

writeFileSync(new URL('./results.md', import.meta.url), `${lines.join('\n')}\n`);
console.log('\nwritten to test/bench/results.md');
