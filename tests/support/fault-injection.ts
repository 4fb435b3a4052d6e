import {
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeMiddleware,
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeMiddleware,
} from '@smithy/types';
import { ulid } from 'ulid';
import { dynamo } from '#core/adapters/dynamo/client';

/**
 * DynamoDB faults injected through the SDK client's middleware stack
 * (docs/rules.md#quality-bars), not by mocking adapters: the application code, the lib-dynamodb
 * marshalling and — what matters — the SDK's own retry middleware all run as in production.
 *
 * Where it sits: a `deserialize`-step middleware (priority high, i.e. in front of the
 * deserializer). The stack runs initialize → serialize → build → finalizeRequest (the retry
 * middleware lives here) → deserialize → HTTP. So the fault is raised once per HTTP *attempt*,
 * inside the SDK's retry loop, exactly where a response from DynamoDB would be turned into an
 * exception — and the request never reaches DynamoDB Local, just as a throttled or cancelled
 * request is rejected by DynamoDB without applying anything.
 *
 * The errors are built the way the SDK's AwsJson1_0 protocol builds them from a DynamoDB error
 * response (`@aws-sdk/core` `handleError`): an instance of the modeled exception class exported
 * by `@aws-sdk/client-dynamodb` (a `DynamoDBServiceException`/`ServiceException`, so `name`,
 * `$fault: 'client'`, `instanceof` all match), `$metadata` with `httpStatusCode: 400` and a
 * request id (the retry middleware adds `attempts` and `totalRetryDelay` when it gives up),
 * `message`, and the modeled members (`CancellationReasons`, `Message`). The SDK classifies
 * ProvisionedThroughputExceededException and ThrottlingException as throttling by *name*
 * (`THROTTLING_ERROR_CODES` in @smithy/core/retry); DynamoDB's model carries no @retryable
 * trait on them, so a real one arrives with `$retryable` undefined. We set
 * `$retryable: { throttling: true }` as asked of a throttle — it yields the same
 * classification (errorType THROTTLING: retried with the throttling backoff and retry cost),
 * so the behaviour under test is the SDK's real one either way. TransactionCanceledException
 * is neither throttling nor transient for the SDK (400, no trait), so the SDK never retries it:
 * our `withContentionRetry` does, when a reason is `TransactionConflict`.
 */

export type Operation =
  | 'GetItem'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'Query'
  | 'TransactWriteItems'
  | 'TransactGetItems'
  | 'BatchGetItem'
  | 'BatchWriteItem';

export interface FaultOptions {
  /** Operation name without `Command` (the low-level name: `UpdateItem`, not `Update`). */
  command: Operation;
  /** How many attempts fail before the fault clears; `Infinity` for a fault that persists. */
  times: number;
  /**
   * Builds the error for one attempt, from that attempt's input — already marshalled by
   * lib-dynamodb at this step (AttributeValue maps: `Item.sk.S`, not `Item.sk`).
   */
  error: (input: Record<string, any>) => Error;
  /** Only attempts whose (marshalled) input matches are faulted and counted. */
  when?: (input: Record<string, any>) => boolean;
}

export interface Fault {
  /** Attempts that matched (faulted or not). */
  attempts(): number;
  /** Attempts that were failed by this fault. */
  injected(): number;
  remove(): void;
}

const metadata = () => ({
  httpStatusCode: 400,
  requestId: ulid(),
  extendedRequestId: undefined,
  cfId: undefined,
});

/** What DynamoDB answers when a table or index exceeds its throughput (or on-demand limits). */
export function throttle(
  name:
    | 'ProvisionedThroughputExceededException'
    | 'ThrottlingException' = 'ProvisionedThroughputExceededException',
): Error {
  const error =
    name === 'ThrottlingException'
      ? new ThrottlingException({
          message:
            'Throughput exceeds the current capacity for one or more global secondary indexes. DynamoDB is automatically scaling your index so please try again shortly.',
          $metadata: metadata(),
        })
      : new ProvisionedThroughputExceededException({
          message:
            'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.',
          $metadata: metadata(),
        });
  error.$retryable = { throttling: true };
  return error;
}

/**
 * A cancelled transaction as DynamoDB returns it: one reason per item in order, `reason` for the
 * item `at` and `None` for the others, message included.
 */
function cancelled(input: Record<string, any>, at: number, reason: { Code: string; Message: string }): Error {
  const count = Math.max(1, (input.TransactItems as unknown[] | undefined)?.length ?? 1);
  const reasons = Array.from({ length: count }, (_, i) => (i === at ? reason : { Code: 'None' }));
  const message = `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`;
  return new TransactionCanceledException({
    message,
    Message: message,
    CancellationReasons: reasons,
    $metadata: metadata(),
  });
}

/** A transaction cancelled because another transaction holds its item `at` (default the first). */
export function transactionConflict(input: Record<string, any>, at = 0): Error {
  return cancelled(input, at, {
    Code: 'TransactionConflict',
    Message: 'Transaction is ongoing for the item',
  });
}

/**
 * A transaction cancelled because the condition of its item `at` failed (the item changed since
 * it was read) — what a ticket change meets when a counter acted on the ticket first.
 */
export function conditionFailed(input: Record<string, any>, at = 0): Error {
  return cancelled(input, at, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' });
}

let installed = 0;

/** What a fault saw: attempts that matched, and those it failed (or items it hid). */
interface Tally {
  attempts: number;
  injected: number;
}

/**
 * A Fault reporting `tally`, whose middleware `add` puts on `client`'s stack under a fresh name.
 */
function install(client: DynamoDBDocumentClient, tally: Tally, add: (name: string) => void): Fault {
  const name = `queuelineFault${++installed}`;
  add(name);
  return {
    attempts: () => tally.attempts,
    injected: () => tally.injected,
    remove: () => {
      client.middlewareStack.remove(name);
    },
  };
}

/** Installs a fault on `client` (default: the app's `dynamo()`); `remove()` takes it out again. */
export function injectFault(options: FaultOptions, client: DynamoDBDocumentClient = dynamo()): Fault {
  const tally: Tally = { attempts: 0, injected: 0 };
  const middleware: DeserializeMiddleware<any, any> =
    (next: DeserializeHandler<any, any>, context: HandlerExecutionContext) =>
    async (args: DeserializeHandlerArguments<any>) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      const input = args.input as Record<string, any>;
      if (command !== options.command || (options.when && !options.when(input))) return next(args);
      tally.attempts++;
      if (tally.injected >= options.times) return next(args);
      tally.injected++;
      throw options.error(input);
    };
  return install(client, tally, (name) =>
    client.middlewareStack.add(middleware, { step: 'deserialize', name, priority: 'high' }),
  );
}

/**
 * Index lag: an eventually consistent GSI that has not caught up yet. Items written within the
 * last `lagMs` (by their `updatedAt`, against `Date.now()`, so a faked clock moves it too) are
 * left out of the `Items` of every Query on `index` — as if their index entries did not exist
 * yet. Stale entries (an item already gone from the index, still listed) are not simulated,
 * nor COUNT queries. An `initialize`-step middleware, outermost: what it filters is the
 * document client's unmarshalled output. `injected()` counts the items hidden.
 */
export function lagIndex(options: { index: string; lagMs: number }, client = dynamo()): Fault {
  const tally: Tally = { attempts: 0, injected: 0 };
  const middleware: InitializeMiddleware<any, any> =
    (next: InitializeHandler<any, any>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<any>) => {
      const result = await next(args);
      const command = (context.commandName ?? '').replace(/Command$/, '');
      const output = result.output as Record<string, any>;
      if (command !== 'Query' || args.input.IndexName !== options.index || !output.Items) return result;
      tally.attempts++;
      const cutoff = Date.now() - options.lagMs;
      const items = output.Items as Array<Record<string, unknown>>;
      const visible = items.filter(
        (item) => !(typeof item.updatedAt === 'string' && Date.parse(item.updatedAt) > cutoff),
      );
      tally.injected += items.length - visible.length;
      return { ...result, output: { ...output, Items: visible, Count: visible.length } };
    };
  return install(client, tally, (name) =>
    client.middlewareStack.add(middleware, { step: 'initialize', name, priority: 'high' }),
  );
}

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'TransactWriteItems', 'BatchWriteItem']);

/**
 * A process cut off part-way: the first `passing` writes (Put, Update, Delete, TransactWrite,
 * BatchWrite) go through, every later one fails before reaching DynamoDB. Installed at the
 * `initialize` step, outside the SDK's retries: a cut write is not retried. Reads pass.
 */
export function cutWritesAfter(passing: number, client: DynamoDBDocumentClient = dynamo()): Fault {
  const name = `queuelineCut${++installed}`;
  let attempts = 0;
  let injected = 0;
  client.middlewareStack.add(
    (next: any, context: HandlerExecutionContext) => async (args: any) => {
      if (!WRITES.has((context.commandName ?? '').replace(/Command$/, ''))) return next(args);
      if (++attempts <= passing) return next(args);
      injected++;
      throw Object.assign(new Error('The process was cut off'), { name: 'ProcessCutOff' });
    },
    { step: 'initialize', name, priority: 'high' },
  );
  return {
    attempts: () => attempts,
    injected: () => injected,
    remove: () => client.middlewareStack.remove(name),
  };
}
