import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { localClientConfig } from './dynamodb-local.ts';

/**
 * What a Lambda event source mapping does for the stream processor, against DynamoDB Local's
 * Streams API: read every shard in order, hand records over in batches, and redeliver from the
 * first failure a handler reports (`batchItemFailures`), giving up on a record after a few tries
 * the way an on-failure destination would receive it.
 */

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  handler: (event: { Records: DynamoDBRecord[] }) => Promise<DynamoDBBatchResponse | undefined>;
  batchSize?: number;
  retryAttempts?: number;
  intervalMs?: number;
  /**
   * Where to start in the shards the stream has when the poller starts: at the oldest record
   * (default, as a mapping with TRIM_HORIZON), or after the newest, when whoever starts it has
   * handled what is there already. Shards that appear later are read from their start.
   */
  from?: StreamStart;
  onDeadLetter?: (record: DynamoDBRecord, error: unknown) => void;
}

export type StreamStart = 'oldest' | 'latest';

export interface StreamPoller {
  /** Resolves once every record written so far has been handled. */
  drain(): Promise<void>;
  stop(): Promise<void>;
}

const toLambdaRecord = (record: _Record, streamArn: string): DynamoDBRecord =>
  ({
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'local',
    dynamodb: record.dynamodb,
    eventSourceARN: streamArn,
  }) as DynamoDBRecord;

export const startStreamPoller = async (options: StreamPollerOptions): Promise<StreamPoller> => {
  const config = localClientConfig(options.endpoint);
  const dynamo = new DynamoDBClient(config);
  const streams = new DynamoDBStreamsClient(config);
  const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamo.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream.`);

  const batchSize = options.batchSize ?? 25;
  const retryAttempts = options.retryAttempts ?? 3;
  /** Shard id → next iterator; null once a closed shard is read to its end. */
  const iterators = new Map<string, string | null>();
  const attempts = new Map<string, number>();
  let stopped = false;
  /** Poll cycles are numbered; a drain waits for a quiet cycle that started after it was asked. */
  let cycle = 0;
  let waiters: { after: number; resolve: () => void }[] = [];

  const discoverShards = async (from: StreamStart) => {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: from === 'latest' ? 'LATEST' : 'TRIM_HORIZON',
        }),
      );
      iterators.set(shard.ShardId, ShardIterator ?? null);
    }
  };
  // The shards there are now, positioned before the poller returns: a write right after its start
  // is read, whichever start was asked for.
  await discoverShards(options.from ?? 'oldest');

  /** Hands `records` to the handler; returns how many were handled (the rest are redelivered). */
  const deliver = async (records: DynamoDBRecord[]): Promise<number> => {
    let failedAt = records.length;
    let failure: unknown;
    try {
      const response = await options.handler({ Records: records });
      for (const item of response?.batchItemFailures ?? []) {
        const index = records.findIndex((record) => record.dynamodb?.SequenceNumber === item.itemIdentifier);
        if (index >= 0) failedAt = Math.min(failedAt, index);
      }
    } catch (error) {
      failedAt = 0;
      failure = error;
    }
    if (failedAt === records.length) return records.length;
    const failed = records[failedAt] as DynamoDBRecord;
    const key = failed.eventID ?? '';
    const tries = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, tries);
    if (tries > retryAttempts) {
      options.onDeadLetter?.(failed, failure ?? 'reported as a batch item failure');
      attempts.delete(key);
      return failedAt + 1;
    }
    return failedAt;
  };

  const pollShard = async (shardId: string, iterator: string): Promise<boolean> => {
    const { Records = [], NextShardIterator } = await streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }),
    );
    let handled = 0;
    const records = Records.map((record) => toLambdaRecord(record, streamArn));
    while (handled < records.length && !stopped) {
      const batch = records.slice(handled, handled + batchSize);
      const done = await deliver(batch);
      if (done === 0) {
        // Redeliver the same records from the same position on the next poll, like a mapping does.
        await new Promise((resume) => setTimeout(resume, 50));
        return true;
      }
      handled += done;
    }
    iterators.set(shardId, NextShardIterator ?? null);
    return records.length > 0;
  };

  const loop = (async () => {
    while (!stopped) {
      const current = ++cycle;
      let busy = false;
      try {
        await discoverShards('oldest');
        for (const [shardId, iterator] of iterators) {
          if (iterator && !stopped) busy = (await pollShard(shardId, iterator)) || busy;
        }
      } catch (error) {
        if (!stopped) options.onDeadLetter?.({} as DynamoDBRecord, error);
      }
      if (!busy) {
        for (const waiter of waiters.filter((w) => w.after < current)) waiter.resolve();
        waiters = waiters.filter((w) => w.after >= current);
      }
      await new Promise((resume) => setTimeout(resume, busy ? 0 : (options.intervalMs ?? 100)));
    }
  })();

  return {
    drain: () => new Promise<void>((resolve) => waiters.push({ after: cycle, resolve })),
    stop: async () => {
      stopped = true;
      for (const waiter of waiters) waiter.resolve();
      await loop;
      streams.destroy();
    },
  };
};
