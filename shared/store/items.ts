import { keyAttributes, TABLE } from './table.ts';

/** An item as DynamoDB's document client reads and writes it. */
export type Item = Record<string, unknown>;

const STORAGE_ATTRIBUTES = new Set([...keyAttributes(), 'entity', TABLE.timeToLiveAttribute]);

/** Strips the storage attributes (keys, `entity`, TTL) off an item, leaving the entity as the domain knows it. */
export const entityOf = <T>(item: Item): T =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !STORAGE_ATTRIBUTES.has(name))) as T;

/** Epoch seconds, the unit of the table's TTL attribute. */
export const epochSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/** Splits a list into DynamoDB-sized batches (100 keys a BatchGetItem, 25 requests a BatchWriteItem). */
export const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
