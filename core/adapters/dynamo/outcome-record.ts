import { ConflictError } from '#core/domain/errors';
import { tableName } from './client';
import { CLAIM_OPEN, idempotencyKey } from './items/idempotency';
import { currentScope } from './request-scope';
import type { TransactItems } from './transact';

/**
 * Records — in the very transaction of a ticket write — which ticket the write was for, when the
 * request holds an Idempotency-Key whose route answers from the ticket (http.ts `recover`); none
 * otherwise. Its condition makes the write land only while the request still holds the key: a
 * write that arrives after the request's deadline, once a retry has taken the key over, fails
 * instead of making a second ticket. The write and the record land together or not at all, so
 * a retry finds either the ticket or a key that nothing was done with (exactly once).
 */
export function outcomeRecord(ticketId: string): TransactItems[number] | undefined {
  const held = currentScope()?.held;
  if (!held) return undefined;
  return {
    Update: {
      TableName: tableName(),
      Key: idempotencyKey(held.tenantId, held.key),
      UpdateExpression: 'SET resourceId = :resource',
      ConditionExpression: CLAIM_OPEN,
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':resource': ticketId, ':claim': held.claimId, ':pending': 'pending' },
    },
  };
}

/** An outcome record's condition failed: a retry took the key over and this write did nothing. */
export const idempotencyKeyLost = () =>
  new ConflictError(
    'idempotency-in-progress',
    'A retry with this Idempotency-Key took over from this request',
  );
