import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ServiceUnavailableError } from '../../domain/errors';

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Transactions that touch an item another transaction holds are cancelled with
 * `TransactionConflict`, which the SDK does not retry. Retry them here with jittered backoff;
 * when contention outlasts the attempts, answer 503 with Retry-After instead of a 500.
 * `fn` must be safe to repeat: every write in it is conditional.
 */
export async function withContentionRetry<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isTransient(error)) throw error;
      if (attempt >= attempts) throw new ServiceUnavailableError('The branch is busy, retry shortly');
      await sleep(Math.random() * 15 * 2 ** attempt);
    }
  }
}
