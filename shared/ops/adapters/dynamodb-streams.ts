import {
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StreamRange, StreamReader } from '#shared/ops/stream-dead-letters';

/**
 * Reads a range of a DynamoDB stream again: from the first sequence number on, page after page,
 * until a record past the last one (or the end of a closed shard). A failed batch holds at most a
 * few dozen records, so this is a few calls; the page bound only stops a runaway loop on an open
 * shard that returns empty pages.
 */
const MAX_PAGES = 100;

export class DynamoStreamReader implements StreamReader {
  constructor(private readonly streams: DynamoDBStreamsClient) {}

  async keysInRange(range: StreamRange): Promise<Record<string, unknown>[] | 'gone'> {
    const end = BigInt(range.endSequenceNumber);
    const keys: Record<string, unknown>[] = [];
    try {
      let { ShardIterator: iterator } = await this.streams.send(
        new GetShardIteratorCommand({
          StreamArn: range.streamArn,
          ShardId: range.shardId,
          ShardIteratorType: 'AT_SEQUENCE_NUMBER',
          SequenceNumber: range.startSequenceNumber,
        }),
      );
      for (let page = 0; iterator && page < MAX_PAGES; page++) {
        const { Records = [], NextShardIterator } = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }),
        );
        for (const record of Records) {
          if (BigInt(record.dynamodb?.SequenceNumber ?? '0') > end) return keys;
          if (record.dynamodb?.Keys) keys.push(unmarshall(record.dynamodb.Keys as never));
        }
        if (Records.length > 0 && BigInt(Records.at(-1)?.dynamodb?.SequenceNumber ?? '0') === end)
          return keys;
        iterator = NextShardIterator;
      }
      return keys;
    } catch (error) {
      if (error instanceof TrimmedDataAccessException || error instanceof ResourceNotFoundException)
        return 'gone';
      throw error;
    }
  }
}

/** The reader of the table's stream, on a client configured from the environment as the SDK's are. */
export const dynamoStreamReader = (): DynamoStreamReader =>
  new DynamoStreamReader(new DynamoDBStreamsClient({}));
