import type { Entity } from './entities.ts';
import type { StreamImage } from './stream.ts';

/**
 * Lambda event filter patterns over the table's stream (plain JSON, importing nothing heavy), so
 * the CDK constructs, the local stream poller and the consumers state the same patterns. A
 * filter is an optimisation, not a contract: consumers still check what they receive.
 */

type EventName = 'INSERT' | 'MODIFY' | 'REMOVE';

/** Records of the given kinds whose new (or old) image is an item of `entity`. */
export const entityFilter = <const N extends readonly EventName[], const I extends StreamImage>(
  eventName: N,
  image: I,
  entity: Entity,
) =>
  ({ eventName, dynamodb: { [image]: { entity: { S: [entity] } } } }) as {
    eventName: N;
    dynamodb: Record<I, { entity: { S: [Entity] } }>;
  };
