import { randomUUID } from 'node:crypto';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from '#core/ports/idempotency';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { CLAIM_OPEN, idempotencyKey } from './items/idempotency';

const WINDOW_SECONDS = 24 * 3600;

const epoch = (date: Date) => Math.floor(date.getTime() / 1000);

export const dynamoIdempotencyStore: IdempotencyStore = {
  async claim(tenantId, key, requestHash, now, lockedUntil): Promise<IdempotencyClaim> {
    const nowS = epoch(now);
    const claimId = randomUUID();
    try {
      await dynamo().send(
        new PutCommand({
          TableName: tableName(),
          Item: {
            ...idempotencyKey(tenantId, key),
            state: 'pending',
            claimId,
            requestHash,
            lockedUntil: Math.ceil(lockedUntil.getTime() / 1000),
            expiresAt: nowS + WINDOW_SECONDS,
            ttl: nowS + WINDOW_SECONDS,
          },
          // A record that expired but was not yet removed by TTL, or a pending one whose owner
          // ran out of time (lock passed) without writing anything, may be taken over.
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :pending AND lockedUntil < :now AND attribute_not_exists(resourceId))',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': nowS, ':pending': 'pending' },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { outcome: 'claimed', claimId };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const raw = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const old = raw ? unmarshall(raw) : undefined;
      if (!old || old.requestHash !== requestHash) return { outcome: 'mismatch' };
      if (old.state === 'done') return { outcome: 'replay', response: old.response as StoredResponse };
      if (old.resourceId) return { outcome: 'applied', claimId: old.claimId, resourceId: old.resourceId };
      return { outcome: 'in-progress' };
    }
  },

  async complete(tenantId, key, claimId, response, now) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: idempotencyKey(tenantId, key),
          UpdateExpression:
            'SET #state = :done, #response = :response, completedAt = :now REMOVE lockedUntil',
          ConditionExpression: CLAIM_OPEN,
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: {
            ':done': 'done',
            ':response': response,
            ':now': now.toISOString(),
            ':claim': claimId,
            ':pending': 'pending',
          },
        }),
      );
    } catch (error) {
      // Taken over after this request's deadline, or answered already: the stored answer stands.
      if (!isConditionFailed(error)) throw error;
    }
  },

  async release(tenantId, key, claimId) {
    try {
      await dynamo().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: idempotencyKey(tenantId, key),
          ConditionExpression: `${CLAIM_OPEN} AND attribute_not_exists(resourceId)`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claim': claimId, ':pending': 'pending' },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  },
};
