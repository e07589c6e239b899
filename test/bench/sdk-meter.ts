import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { currentFunctionName } from '#infra/local/lambda';

/**
 * Counts every AWS SDK call the local functions make, by function, service and operation, and
 * the DynamoDB request units each consumed (it asks DynamoDB Local for `ReturnConsumedCapacity`).
 * All SDK clients in the process share one smithy `Client.prototype.send`; the meter wraps it.
 * Calls made outside a local function (the bench's own setup) are not counted.
 */

export interface SdkCall {
  fn: string;
  service: string;
  operation: string;
  /** The error name, when the call failed (e.g. `TaskTimedOut` for a stale task token). */
  error?: string;
  rru: number;
  wru: number;
}

/** Document-client commands by the DynamoDB operation they are. */
const DOCUMENT_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};
const CAPACITY_OPERATIONS = new Set(Object.values(DOCUMENT_OPERATIONS));
const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

const operationOf = (command: object): string => {
  const name = command.constructor.name.replace(/Command$/, '');
  return DOCUMENT_OPERATIONS[name] ?? name;
};

type Capacity = { CapacityUnits?: number; ReadCapacityUnits?: number; WriteCapacityUnits?: number };

const unitsOf = (operation: string, consumed: Capacity | Capacity[] | undefined) => {
  let rru = 0;
  let wru = 0;
  for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
    const total = entry.CapacityUnits ?? 0;
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      rru += entry.ReadCapacityUnits ?? 0;
      wru += entry.WriteCapacityUnits ?? 0;
    } else if (READS.has(operation)) rru += total;
    else wru += total;
  }
  return { rru, wru };
};

type Send = (this: { config?: { serviceId?: string } }, command: object, ...rest: unknown[]) => unknown;

export interface SdkMeter {
  calls: SdkCall[];
  /** Forgets the calls counted so far. */
  reset(): void;
  stop(): void;
}

export const startSdkMeter = (): SdkMeter => {
  const prototype = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: Send };
  const original = prototype.send;
  const calls: SdkCall[] = [];
  prototype.send = async function (this: { config?: { serviceId?: string } }, command, ...rest) {
    const fn = currentFunctionName();
    if (!fn) return original.call(this, command, ...rest);
    const service = this.config?.serviceId ?? 'unknown';
    const operation = operationOf(command);
    const input = (command as { input?: Record<string, unknown> }).input;
    if (service === 'DynamoDB' && input && CAPACITY_OPERATIONS.has(operation))
      input.ReturnConsumedCapacity ??= 'TOTAL';
    try {
      const output = (await original.call(this, command, ...rest)) as { ConsumedCapacity?: Capacity };
      calls.push({ fn, service, operation, ...unitsOf(operation, output?.ConsumedCapacity) });
      return output;
    } catch (error) {
      calls.push({ fn, service, operation, error: (error as Error).name, rru: 0, wru: 0 });
      throw error;
    }
  };
  return {
    calls,
    reset: () => {
      calls.length = 0;
    },
    stop: () => {
      prototype.send = original;
    },
  };
};
