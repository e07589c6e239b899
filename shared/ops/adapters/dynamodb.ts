import type { Tier } from '#shared/domain/ticket-fields';
import type { DeadLetter, DeadLetterStore } from '#shared/ops/dead-letters';
import type { Incident, IncidentStatus, IncidentStore } from '#shared/ops/incidents';
import type { Job, JobProgress, JobStore } from '#shared/ops/jobs';
import type { ParkingRecords } from '#shared/ops/operations';
import { IncidentPositionSchema } from '#shared/store/cursor';
import { OPS_ENTITY, WORKFLOW_ENTITY } from '#shared/store/entities';
import { cancellationCode } from '#shared/store/errors';
import { entityOf, epochSeconds, type Item } from '#shared/store/items';
import {
  INCIDENT_SORT_PREFIX,
  type IncidentPosition,
  incidentKey,
  incidentListKey,
  incidentListPartition,
  incidentPosition,
  OPS_JOB_QUEUE_PARTITION,
  opsJobKey,
  opsJobQueueKey,
  STREAM_DEAD_LETTER_PARTITION,
  streamDeadLetterKey,
  ticketKey,
  ticketNumberOfKey,
  workflowKey,
} from '#shared/store/keys';
import {
  batchGetItems,
  itemsWithPrefix,
  type Page,
  type PageRequest,
  queryPage,
} from '#shared/store/query-page';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '#shared/store/sdk';
import { TABLE } from '#shared/store/table';
import type { ParkingRecord } from '#shared/workflow/workflow-store';

/**
 * The DynamoDB adapters of operations' records.
 *
 * An incident is three items of under 1 KB: the record beside its ticket (`TICKET#n /
 * INCIDENT#<execution>`) and a listing under its status and under its status and tier, each sorted
 * by stop time, so every list the ops view shows is one Query, newest first, with no index: 3 WCU
 * to record, 3 to resolve (the listings deleted, the record marked). Failures are rare, so the
 * status partitions stay far below a partition's 1,000 writes a second.
 *
 * A job is one item (1 WCU to create, one per progress update: per page of 100 tickets, so a
 * reconciliation of 1 M open tickets writes ~10,000 progress updates), plus a queue entry while it
 * waits for the scheduled runner on AWS; kept 30 days by TTL. Its result lists at most a few
 * thousand ticket numbers, well under the 400 KB item limit.
 */

const JOB_TTL_DAYS = 30;

const listingPartitions = (incident: Incident) => [
  incidentListPartition(incident.status),
  incidentListPartition(incident.status, incident.tier),
];

const position = (incident: Incident): IncidentPosition => ({
  stoppedAt: incident.stoppedAt,
  number: incident.ticketNumber,
  execution: incident.execution,
});

export class DynamoIncidentStore implements IncidentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(incident: Incident): Promise<void> {
    const put = (key: Item, entity: string) => ({
      Put: { TableName: this.tableName, Item: { ...key, entity, ...incident } },
    });
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          put({ ...incidentKey(incident.ticketNumber, incident.execution) }, OPS_ENTITY.incident),
          ...listingPartitions(incident).map((partition) =>
            put({ ...incidentListKey(partition, position(incident)) }, OPS_ENTITY.incidentListing),
          ),
        ],
      }),
    );
  }

  async resolve(incident: Incident, resolution: NonNullable<Incident['resolved']>): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.tableName,
              Key: incidentKey(incident.ticketNumber, incident.execution),
              UpdateExpression: 'SET resolved = :resolved',
              ExpressionAttributeValues: { ':resolved': resolution },
            },
          },
          ...listingPartitions(incident).map((partition) => ({
            Delete: { TableName: this.tableName, Key: incidentListKey(partition, position(incident)) },
          })),
        ],
      }),
    );
  }

  async open(status: IncidentStatus, tier: Tier | undefined, page: PageRequest): Promise<Page<Incident>> {
    const partition = incidentListPartition(status, tier);
    const result = await queryPage(
      this.db,
      this.tableName,
      {
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
      },
      {
        partition,
        position: IncidentPositionSchema,
        startKey: (at) => ({ ...incidentListKey(partition, at) }),
        positionOf: incidentPosition,
      },
      page,
    );
    return { items: result.items.map((item) => entityOf<Incident>(item)), nextCursor: result.nextCursor };
  }

  async ofTicket(ticketNumber: number): Promise<Incident[]> {
    const items = await itemsWithPrefix(
      this.db,
      this.tableName,
      ticketKey(ticketNumber).pk,
      INCIDENT_SORT_PREFIX,
    );
    return items.map((item) => entityOf<Incident>(item));
  }
}

/**
 * A job's parameters and result are free-form JSON: kept as JSON text, since the stream readers
 * decode every image and an empty map or list is no value to some of them.
 */
type StoredJob = Omit<Job, 'params' | 'result'> & { params: string; result?: string };

const stored = <T extends Partial<Job>>({ params, result, ...rest }: T) => ({
  ...rest,
  ...(params && { params: JSON.stringify(params) }),
  ...(result && { result: JSON.stringify(result) }),
});

const fromStored = ({ params, result, ...rest }: StoredJob): Job => ({
  ...rest,
  params: JSON.parse(params),
  ...(result && { result: JSON.parse(result) }),
});

export class DynamoJobStore implements JobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(job: Job): Promise<void> {
    const expiresAt = epochSeconds(new Date(Date.parse(job.requestedAt) + JOB_TTL_DAYS * 86_400_000));
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tableName,
              Item: { ...opsJobKey(job.id), entity: OPS_ENTITY.job, ...stored(job), expiresAt },
            },
          },
          {
            Put: {
              TableName: this.tableName,
              Item: {
                ...opsJobQueueKey(job.requestedAt, job.id),
                entity: OPS_ENTITY.job,
                id: job.id,
                expiresAt,
              },
            },
          },
        ],
      }),
    );
  }

  async get(id: string): Promise<Job | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: opsJobKey(id), ConsistentRead: true }),
    );
    return Item ? fromStored(entityOf<StoredJob>(Item)) : undefined;
  }

  async claim(id: string, at: string): Promise<boolean> {
    const job = await this.get(id);
    if (!job) return false;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: opsJobKey(id),
                UpdateExpression: 'SET #status = :running, startedAt = :at',
                ConditionExpression: '#status = :queued',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':running': 'running', ':queued': 'queued', ':at': at },
              },
            },
            { Delete: { TableName: this.tableName, Key: opsJobQueueKey(job.requestedAt, id) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCode(error, 0) === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async progress(id: string, progress: JobProgress): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: opsJobKey(id),
        UpdateExpression: 'SET progress = :progress',
        ExpressionAttributeValues: { ':progress': progress },
      }),
    );
  }

  async finish(id: string, outcome: Pick<Job, 'status' | 'finishedAt' | 'result' | 'error'>): Promise<void> {
    const fields = Object.entries(stored(outcome)).filter(([, value]) => value !== undefined);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: opsJobKey(id),
        UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
      }),
    );
  }

  async queued(limit: number): Promise<string[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        ExpressionAttributeValues: { ':pk': OPS_JOB_QUEUE_PARTITION },
        Limit: limit,
      }),
    );
    return Items.map((item) => String(item.id));
  }
}

export class DynamoDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(deadLetter: DeadLetter): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...streamDeadLetterKey(deadLetter.at, deadLetter.id),
          entity: OPS_ENTITY.deadLetter,
          ...deadLetter,
        },
      }),
    );
  }

  async list(limit: number): Promise<DeadLetter[]> {
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
        ExpressionAttributeValues: { ':pk': STREAM_DEAD_LETTER_PARTITION },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return Items.map((item) => entityOf<DeadLetter>(item));
  }

  async remove(deadLetter: DeadLetter): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: streamDeadLetterKey(deadLetter.at, deadLetter.id),
      }),
    );
  }
}

/** The tickets a stream record is about, from its keys (a ticket's item or anything beside it). */
export const ticketsOfStreamKeys = (keys: readonly Record<string, unknown>[]): number[] => [
  ...new Set(keys.flatMap((key) => ticketNumberOfKey(key) ?? [])),
];

export class DynamoParkingRecords implements ParkingRecords {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async parkedOf(ticketNumbers: readonly number[]): Promise<Map<number, ParkingRecord>> {
    const items = await batchGetItems(
      this.db,
      this.tableName,
      ticketNumbers.map((number) => ({ ...workflowKey(number) })),
    );
    return new Map(
      items
        .filter((item) => item.entity === WORKFLOW_ENTITY.workflow)
        .map((item) => {
          const record = entityOf<ParkingRecord>(item);
          return [record.ticketNumber, record];
        }),
    );
  }
}
