import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { dynamo } from './client';
import { cancellationReasons, withContentionRetry } from './errors';

export type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

/**
 * Runs one transaction (retrying contention) and returns the positions of the items whose
 * condition failed: empty when it was applied. Any other cancellation is an error.
 */
export async function conditionalTransaction(items: TransactItems): Promise<number[]> {
  try {
    await withContentionRetry(() => dynamo().send(new TransactWriteCommand({ TransactItems: items })));
    return [];
  } catch (error) {
    const reasons = cancellationReasons(error);
    if (!reasons?.every((r) => r.code === 'None' || r.code === 'ConditionalCheckFailed')) throw error;
    return reasons.flatMap((r, i) => (r.code === 'ConditionalCheckFailed' ? [i] : []));
  }
}
