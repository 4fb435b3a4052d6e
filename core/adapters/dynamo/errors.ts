import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ServiceUnavailableError } from '#core/domain/errors';

interface AwsError {
  name?: string;
  CancellationReasons?: Array<{ Code?: string; Item?: Record<string, AttributeValue> }>;
}

export function isConditionFailed(error: unknown): boolean {
  return (error as AwsError)?.name === 'ConditionalCheckFailedException';
}

export interface CancellationReason {
  code: string;
  /** The item as it was when its condition failed (ReturnValuesOnConditionCheckFailure: ALL_OLD). */
  item?: Record<string, unknown>;
}

/** The per-item reasons of a cancelled transaction, or undefined when it is not one. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  const e = error as AwsError;
  if (e?.name !== 'TransactionCanceledException') return undefined;
  return (e.CancellationReasons ?? []).map((r) => ({
    code: r.Code ?? 'None',
    item: r.Item ? unmarshall(r.Item) : undefined,
  }));
}

const TRANSIENT = new Set([
  'TransactionConflictException',
  'TransactionInProgressException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

/** Contention or throttling that outlived the SDK's own retries: the client should retry later. */
export function isTransient(error: unknown): boolean {
  const e = error as AwsError;
  if (TRANSIENT.has(e?.name ?? '')) return true;
  const reasons = cancellationReasons(error);
  return !!reasons?.some(
    (r) => TRANSIENT.has(r.code) || r.code === 'TransactionConflict' || r.code === 'ThrottlingError',
  );
}

/** Socket-level failures: the database (or the way to it) is down, not the request wrong. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** The SDK's attempt and connect timeouts, and aborts at the request's deadline (request-scope.ts). */
const GAVE_UP = new Set([
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
  'DeadlineExceeded',
]);

/**
 * DynamoDB could not be reached or did not answer in time (once the SDK's attempts are spent):
 * network errors, timeouts, aborts at the deadline and 5xx answers. The request may be retried
 * later; nothing about it was wrong.
 */
export function isUnreachable(error: unknown, depth = 0): boolean {
  const e = error as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    cause?: unknown;
  };
  if (!e || typeof e !== 'object') return false;
  return (
    NETWORK_CODES.has(e.code ?? '') ||
    GAVE_UP.has(e.name ?? '') ||
    (e.$metadata?.httpStatusCode ?? 0) >= 500 ||
    (depth < 5 && e.cause !== undefined && isUnreachable(e.cause, depth + 1))
  );
}

/**
 * What the SDK's standard retry strategy already retried up to `maxAttempts` before the error
 * reached us: throttling by name (THROTTLING_ERROR_CODES of @smithy/core/retry) and 5xx.
 * Retrying those again would multiply the SDK's attempts and backoff (4 × 6 sends of ~3.5 s
 * each) past the Lambda timeout; they go straight to the 503 mapping instead.
 */
const RETRIED_BY_SDK = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TransactionInProgressException',
]);

function retriedBySdk(error: unknown): boolean {
  const e = error as AwsError & { $metadata?: { httpStatusCode?: number } };
  return RETRIED_BY_SDK.has(e?.name ?? '') || (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Transactions that touch an item another transaction holds are cancelled with
 * `TransactionConflict` (and plain writes to such an item fail with
 * TransactionConflictException), which the SDK does not retry. Retry them here with jittered backoff;
 * when contention outlasts the attempts, answer 503 with Retry-After instead of a 500.
 * `fn` must be safe to repeat: every write in it is conditional.
 */
export async function withContentionRetry<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      // Throttles and 5xx were retried by the SDK already: answer 503 (problem.ts) now.
      if (!isTransient(error) || retriedBySdk(error)) throw error;
      if (attempt >= attempts) throw new ServiceUnavailableError('The branch is busy, retry shortly');
      await sleep(Math.random() * 15 * 2 ** attempt);
    }
  }
}
