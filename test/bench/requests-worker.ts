/**
 * One function of the `requests` part, alone in its Node process as on Lambda: its handler serves
 * one kind of request round after round, and after each, the DynamoDB calls it made are sent again
 * by a bare client (no document client, no handler, inputs already marshalled). The writes are
 * sent again with their conditions widened so they hold, and each does what the handler's did:
 * a write to an item that exists (an update, a Put conditioned on the item's version) rewrites
 * that item; a Put that created an item (unconditioned, or conditioned on `attribute_not_exists`)
 * creates one again, in partitions of its own (of the table and of its indexes) that no request
 * reads. Rewriting the handler's new items instead would time an overwrite against an insert, and
 * an insert costs more as the table grows (DynamoDB Local keeps a table in one SQLite B-tree): the
 * raw calls would stay flat at scale while the handler did not. For the same reason, a kind that
 * acts on a fresh ticket each round has its calls sent again to a twin: a ticket made beside it,
 * in the same state and untouched since, instead of the one the handler has just read and
 * written, which on a large table is found faster. Tables of different sizes are
 * served in alternation, round by round. Prints one JSON line: per table, the handler's and the
 * raw calls' latencies (ms), per round.
 *
 *   tsx test/bench/requests-worker.ts '{"endpoint":…,"tables":[…],"kind":"create","rounds":30,"warmup":8}'
 */
import './quiet.ts';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '#infra/local/dynamodb-local';
import { principalFromGroups } from '#shared/domain/principal';
import { ticketKey } from '#shared/store/keys';
import { TABLE } from '#shared/store/table';
import { addComment, openTicket } from '#shared/tickets/ticket-service';
import { AGENT, benchApi, expectOk, REQUESTER, REQUESTS, type RecordedCall } from './requests-calls.ts';

interface WorkerInput {
  endpoint: string;
  /** Tables of different sizes, served in alternation round by round (so drift hits all alike). */
  tables: string[];
  kind: string;
  rounds: number;
  warmup: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as WorkerInput;
const kind = REQUESTS.find(({ id }) => id === input.kind);
if (!kind) throw new Error(`No request kind ${input.kind}`);

// biome-ignore lint/suspicious/noExplicitAny: the SDK's command classes, by the name the recorder saw
const COMMANDS: Record<string, new (input: any) => any> = {
  BatchGetItem: BatchGetItemCommand,
  BatchWriteItem: BatchWriteItemCommand,
  DeleteItem: DeleteItemCommand,
  GetItem: GetItemCommand,
  PutItem: PutItemCommand,
  Query: QueryCommand,
  Scan: ScanCommand,
  TransactWriteItems: TransactWriteItemsCommand,
  UpdateItem: UpdateItemCommand,
};

const raw = new DynamoDBClient(localClientConfig(input.endpoint));

type Input = Record<string, unknown>;

/**
 * A write whose condition holds again, evaluated as before: `(<its condition>) OR
 * attribute_not_exists(<an attribute nothing writes>)`. Sent again right after the handler's
 * write, it rewrites the very items that write wrote, at the same cost.
 */
const holding = (operation: Input): Input =>
  operation.ConditionExpression === undefined
    ? operation
    : {
        ...operation,
        ConditionExpression: `(${operation.ConditionExpression}) OR attribute_not_exists(#benchNeverWritten)`,
        ExpressionAttributeNames: {
          ...(operation.ExpressionAttributeNames as Input | undefined),
          '#benchNeverWritten': 'benchNeverWritten',
        },
      };

/**
 * Whether a Put created its item: it is unconditioned or conditioned on the item not being there.
 * On the timed paths an unconditioned Put writes a new item (an event, a fact item, a new listing
 * or watcher), except the listings a change of status, tier or priority rewrites in place, which
 * are sent again as creations too.
 */
const creates = (put: Input): boolean =>
  put.ConditionExpression === undefined ||
  /^attribute_not_exists\(#?\w+\)/.test(String(put.ConditionExpression));

/** The partition keys of the table and of its indexes: a replayed creation renames each it has. */
const PARTITION_KEYS = [
  TABLE.partitionKey,
  ...Object.values(TABLE.indexes).map((index) => index.partitionKey),
];

let replays = 0;
/**
 * A Put that created an item, sent again: the same item under partition keys no request reads and
 * no earlier replay wrote (`<key>#replay-<n>`, in the table and in every index the item is in), so
 * that it creates an item too.
 */
const createsAgain = (put: Input, replay: number): Input => {
  const item = { ...(put.Item as Record<string, { S?: string }>) };
  for (const key of PARTITION_KEYS) {
    const value = item[key]?.S;
    if (value !== undefined) item[key] = { S: `${value}#replay-${replay}` };
  }
  return { ...put, Item: item };
};

const replayable = (command: string, sent: Input): Input => {
  const replay = ++replays;
  const again = (kind: string, operation: Input) =>
    holding(kind === 'Put' && creates(operation) ? createsAgain(operation, replay) : operation);
  if (command === 'TransactWriteItems') {
    const items = sent.TransactItems as Record<string, Input>[];
    return {
      ...sent,
      TransactItems: items.map((item) => {
        const [[kind, operation]] = Object.entries(item) as [[string, Input]];
        return { [kind]: again(kind, operation) };
      }),
    };
  }
  if (command === 'PutItem') return again('Put', sent);
  return ['UpdateItem', 'DeleteItem'].includes(command) ? holding(sent) : sent;
};

/** The digits of a ticket number as its keys write it (`TICKET#0000000042`). */
const keyDigits = (ticket: number): string => ticketKey(ticket).pk.slice('TICKET#'.length);

/**
 * The recorded calls on ticket `from` as calls on ticket `to`: every key and value that names
 * `from` by its key digits names `to` (its item, events and listings), the rest stays.
 */
const onTwin = (recorded: readonly RecordedCall[], from: number, to: number): RecordedCall[] =>
  JSON.parse(JSON.stringify(recorded).replaceAll(keyDigits(from), keyDigits(to)));

/** The recorded calls, ready to send again (built before the clock starts). */
const forRaw = (recorded: readonly RecordedCall[]) =>
  recorded.map(({ command, input: sent }) => {
    const Command = COMMANDS[command];
    if (!Command) throw new Error(`No raw command for ${command}`);
    return new Command(replayable(command, sent));
  });

/** Milliseconds `run` takes (the commands to send are built before, outside the clock). */
const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
};

let rawErrors = 0;
/** Sends the calls one after the other, as the handler did; refusals count as calls made. */
const sendRaw = async (commands: ReturnType<typeof forRaw>) => {
  for (const command of commands) {
    try {
      await raw.send(command);
    } catch (error) {
      if (rawErrors === 0) console.error(`raw ${command.constructor.name}: ${(error as Error).message}`);
      rawErrors += 1;
    }
  }
};

const requester = principalFromGroups(REQUESTER.email, ['requesters']);
const agent = principalFromGroups(AGENT.email, ['tier1', 'tier2']);
const total = input.warmup + input.rounds;

/** One table's handlers, and the tickets its rounds act on (made through the use cases). */
const prepare = async (table: string) => {
  const { api, calls, deps } = await benchApi(input.endpoint, table, { createTable: false });
  const fixture = async (round: number) => {
    const { ticket } = await openTicket(deps, requester, {
      subject: `Laptop will not boot ${round}`,
      description: 'Black screen after the logo.',
      impact: 'medium',
      urgency: 'medium',
      watchers: [],
      tags: [],
    } as never);
    await addComment(deps, requester, ticket.number, { body: 'It beeps three times.', public: true });
    await addComment(deps, agent, ticket.number, { body: 'Likely RAM.', public: false });
    return ticket.number;
  };
  const tickets = [await fixture(0)];
  const twins: number[] = [];
  if (kind.freshTicket) {
    for (let round = 1; round < total; round++) tickets.push(await fixture(round));
    for (let round = 0; round < total; round++) twins.push(await fixture(round));
  }
  return {
    table,
    api,
    calls,
    tickets,
    twins,
    handler: [] as number[],
    raw: [] as number[],
    previous: undefined as { recorded: RecordedCall[]; ticket: number } | undefined,
  };
};

const served = [];
for (const table of input.tables) served.push(await prepare(table));
for (let round = 0; round < total; round++) {
  // Alternate which table goes first, round by round.
  const order = round % 2 === 0 ? served : [...served].reverse();
  for (const at of order) {
    const ticket = at.tickets[kind.freshTicket ? round : 0] as number;
    const call = kind.call(ticket, round + 1);
    // The calls to send again: on this round's twin when each round has a fresh ticket.
    const replay = (recorded: RecordedCall[], on: number) =>
      forRaw(kind.freshTicket ? onTwin(recorded, on, at.twins[round] as number) : recorded);
    // Whichever of the two goes second finds the items the first just touched in DynamoDB Local's
    // cache: on a large table that favours the second. So they alternate: in even rounds the
    // handler first, then its calls sent again; in odd rounds the calls of the round before (the
    // same reads; writes of the same shape) first, then the handler.
    const rawFirst = round % 2 === 1 && at.previous !== undefined;
    let rawMs = 0;
    if (rawFirst && at.previous) {
      const before = replay(at.previous.recorded, at.previous.ticket);
      rawMs = await timed(() => sendRaw(before));
    }
    at.calls.length = 0;
    const handlerMs = await timed(() => expectOk(at.api, call));
    const recorded = at.calls.splice(0);
    if (!rawFirst) {
      const commands = replay(recorded, ticket);
      rawMs = await timed(() => sendRaw(commands));
    }
    at.previous = { recorded, ticket };
    if (round >= input.warmup) {
      at.handler.push(handlerMs);
      at.raw.push(rawMs);
    }
  }
}
raw.destroy();
const results = Object.fromEntries(served.map(({ table, handler, raw }) => [table, { handler, raw }]));
process.stdout.write(`${JSON.stringify({ kind: kind.id, results, rawErrors })}\n`);
process.exit(0);
