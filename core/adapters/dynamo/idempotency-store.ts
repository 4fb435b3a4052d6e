import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from '../../ports/idempotency';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';

const WINDOW_SECONDS = 24 * 3600;
const LOCK_SECONDS = 30;

/** Idempotency records: one item per tenant × scoped key, gone 24 h later by TTL. */
export const idempotencyKey = (tenantId: string, scopedKey: string) => ({
  pk: `T#${tenantId}#IDEM#${scopedKey}`,
  sk: 'IDEM',
});

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

export const dynamoIdempotencyStore: IdempotencyStore = {
  async claim(tenantId, key, requestHash, now): Promise<IdempotencyClaim> {
    const nowS = epoch(now);
    try {
      await dynamo().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...idempotencyKey(tenantId, key),
            state: 'pending',
            requestHash,
            lockedUntil: nowS + LOCK_SECONDS,
            expiresAt: nowS + WINDOW_SECONDS,
            ttl: nowS + WINDOW_SECONDS,
          },
          // A record that expired but was not yet removed by TTL, or a pending one whose
          // owner died (lock passed), may be taken over.
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :pending AND lockedUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': nowS, ':pending': 'pending' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'claimed' };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const raw = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const old = raw ? unmarshall(raw) : undefined;
      if (!old || old.requestHash !== requestHash) return { outcome: 'mismatch' };
      if (old.state !== 'done') return { outcome: 'in-progress' };
      return { outcome: 'replay', response: old.response as StoredResponse };
    }
  },

  async complete(tenantId, key, response, now) {
    await dynamo().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: idempotencyKey(tenantId, key),
        UpdateExpression: 'SET #state = :done, #response = :response, completedAt = :now REMOVE lockedUntil',
        ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
        ExpressionAttributeValues: { ':done': 'done', ':response': response, ':now': now.toISOString() },
      }),
    );
  },

  async release(tenantId, key, requestHash) {
    try {
      await dynamo().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: idempotencyKey(tenantId, key),
          ConditionExpression: '#state = :pending AND requestHash = :hash',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':pending': 'pending', ':hash': requestHash },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  },
};
