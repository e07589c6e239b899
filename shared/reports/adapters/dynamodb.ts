import type { TimelineEvent } from '#shared/domain/timeline';
import { REPORT_ENTITY, TICKET_ENTITY } from '#shared/store/entities';
import { cancellationCode } from '#shared/store/errors';
import { entityOf, epochSeconds, type Item } from '#shared/store/items';
import {
  eventId,
  eventVersionPrefix,
  type Key,
  reportCellKey,
  reportMarkKey,
  reportMonthPartition,
  ticketKey,
} from '#shared/store/keys';
import { itemsWithPrefix } from '#shared/store/query-page';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '#shared/store/sdk';
import { TABLE } from '#shared/store/table';
import type { CellDelta } from '../report-facts.ts';
import type { ReportStore, StoredCell } from '../report-store.ts';

/** A mark outlives the stream's 24-hour retention: no record can come again after it expires. */
const MARK_TTL_SECONDS = 2 * 24 * 3600;
const COUNT_PREFIX = 'c_';
const SKETCH_PREFIX = 's_';

const monthsBetween = (from: string, to: string): string[] => {
  const months: string[] = [];
  let [year, month] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (;;) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    months.push(current);
    if (current >= last) return months;
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
};

/** One cell's update: its dimensions set, every counter and bucket added to. */
const cellUpdate = (tableName: string, { cell, counts, samples }: CellDelta) => {
  const names: Record<string, string> = { '#entity': 'entity' };
  const values: Record<string, unknown> = { ':entity': REPORT_ENTITY.cell };
  const sets = ['#entity = :entity'];
  for (const [name, value] of Object.entries(cell)) {
    names[`#d_${name}`] = name;
    values[`:d_${name}`] = value;
    sets.push(`#d_${name} = :d_${name}`);
  }
  const adds = new Map<string, number>();
  for (const [name, amount] of Object.entries(counts)) adds.set(`${COUNT_PREFIX}${name}`, amount);
  for (const { duration, bucket } of samples) {
    const attribute = `${SKETCH_PREFIX}${duration}_${bucket === 'zero' ? 'z' : bucket}`;
    adds.set(attribute, (adds.get(attribute) ?? 0) + 1);
  }
  const addParts = [...adds].map(([attribute, amount], index) => {
    names[`#a${index}`] = attribute;
    values[`:a${index}`] = amount;
    return `#a${index} :a${index}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: reportCellKey(cell),
      UpdateExpression: `SET ${sets.join(', ')}${addParts.length ? ` ADD ${addParts.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

const storedCell = (item: Item): StoredCell => {
  const counts: Record<string, number> = {};
  const sketches: StoredCell['sketches'] = {};
  for (const [name, value] of Object.entries(item)) {
    if (typeof value !== 'number') continue;
    if (name.startsWith(COUNT_PREFIX)) counts[name.slice(COUNT_PREFIX.length)] = value;
    const sketch = /^s_(\w+)_(z|\d+)$/.exec(name);
    if (sketch?.[1] && sketch[2]) {
      const buckets = sketches[sketch[1]] ?? new Map<number | 'zero', number>();
      sketches[sketch[1]] = buckets;
      buckets.set(sketch[2] === 'z' ? 'zero' : Number(sketch[2]), value);
    }
  }
  return {
    day: String(item.day),
    tier: Number(item.tier),
    group: String(item.group),
    priority: String(item.priority),
    channel: String(item.channel),
    counts,
    sketches,
  };
};

/** Report cells and marks in the single table. */
export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async eventsOf(ticket: number, version: number): Promise<TimelineEvent[]> {
    const items = await itemsWithPrefix(
      this.db,
      this.tableName,
      ticketKey(ticket).pk,
      eventVersionPrefix(version),
    );
    return items
      .filter((item) => item.entity === TICKET_ENTITY.event)
      .map((item) => ({
        id: eventId(item as unknown as Key),
        ...entityOf<Omit<TimelineEvent, 'id'>>(item),
      }));
  }

  async add(source: string, deltas: readonly CellDelta[]): Promise<boolean> {
    if (deltas.length === 0) return false;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...reportMarkKey(source),
                  entity: REPORT_ENTITY.mark,
                  [TABLE.timeToLiveAttribute]: epochSeconds(this.now()) + MARK_TTL_SECONDS,
                },
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': TABLE.partitionKey },
              },
            },
            ...deltas.map((delta) => cellUpdate(this.tableName, delta)),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (cancellationCode(error, 0) === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async cells(from: string, to: string): Promise<StoredCell[]> {
    const cells: StoredCell[] = [];
    for (const month of monthsBetween(from, to)) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
            ExpressionAttributeNames: { '#pk': TABLE.partitionKey, '#sk': TABLE.sortKey },
            ExpressionAttributeValues: { ':pk': reportMonthPartition(month), ':from': from, ':to': `${to}~` },
            ...(start && { ExclusiveStartKey: start }),
          }),
        );
        cells.push(...(page.Items ?? []).map(storedCell));
        start = page.LastEvaluatedKey;
      } while (start);
    }
    return cells;
  }
}
