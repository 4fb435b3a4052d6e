import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { REFRESH_TOKEN_TTL_SECONDS } from '#core/domain/session';
import { epochSeconds } from '#core/domain/tenant';
import type { SessionStore } from '#core/ports/sessions';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import {
  type FamilyItem,
  familyFromItem,
  familyKey,
  type RefreshTokenItem,
  refreshTokenFromItem,
  refreshTokenKey,
} from './items/refresh-token';
import { userKey } from './items/user';
import { conditionalTransaction } from './transact';

function tokenItem(
  tokenHash: string,
  owner: { tenantId: string; userId: string; familyId: string },
  now: Date,
): RefreshTokenItem {
  const expires = epochSeconds(now) + REFRESH_TOKEN_TTL_SECONDS;
  return {
    ...refreshTokenKey(tokenHash),
    type: 'refresh-token',
    tenantId: owner.tenantId,
    userId: owner.userId,
    familyId: owner.familyId,
    state: 'active',
    expiresAt: new Date(expires * 1000).toISOString(),
    // Rotated tokens stay until then too: presenting one later is still detected as reuse.
    ttl: expires,
  };
}

export const dynamoSessionStore: SessionStore = {
  async start({ tenantId, userId, familyId, sessionEpoch, tokenHash, now }) {
    const TableName = tableName();
    const family: FamilyItem = {
      ...familyKey(tenantId, familyId),
      type: 'refresh-family',
      userId,
      sessionEpoch,
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      ttl: epochSeconds(now) + REFRESH_TOKEN_TTL_SECONDS,
    };
    const isNew = 'attribute_not_exists(pk)';
    const failed = await conditionalTransaction([
      { Put: { TableName, Item: family, ConditionExpression: isNew } },
      {
        Put: {
          TableName,
          Item: tokenItem(tokenHash, { tenantId, userId, familyId }, now),
          ConditionExpression: isNew,
        },
      },
    ]);
    if (failed.length > 0) throw new Error('Session id collision');
  },

  async findToken(tokenHash) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: refreshTokenKey(tokenHash), ConsistentRead: true }),
    );
    return Item && refreshTokenFromItem(Item);
  },

  async getFamily(tenantId, familyId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: familyKey(tenantId, familyId), ConsistentRead: true }),
    );
    return Item && familyFromItem(Item);
  },

  async rotate({ fromHash, toHash, token, sessionEpoch, now }) {
    const TableName = tableName();
    const failed = await conditionalTransaction([
      {
        Update: {
          TableName,
          Key: refreshTokenKey(fromHash),
          UpdateExpression: 'SET #state = :rotated, rotatedAt = :now',
          ConditionExpression: '#state = :active',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':rotated': 'rotated',
            ':active': 'active',
            ':now': now.toISOString(),
          },
        },
      },
      {
        Put: {
          TableName,
          Item: tokenItem(toHash, token, now),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName,
          Key: familyKey(token.tenantId, token.familyId),
          UpdateExpression: 'SET lastUsedAt = :now, #ttl = :ttl',
          ConditionExpression: 'attribute_not_exists(revokedAt) AND sessionEpoch = :epoch',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: {
            ':now': now.toISOString(),
            ':ttl': epochSeconds(now) + REFRESH_TOKEN_TTL_SECONDS,
            ':epoch': sessionEpoch,
          },
        },
      },
      {
        // Deactivation or deletion racing with this refresh must win.
        ConditionCheck: {
          TableName,
          Key: userKey(token.tenantId, token.userId),
          ConditionExpression: 'sessionEpoch = :epoch AND active = :true AND attribute_not_exists(deletedAt)',
          ExpressionAttributeValues: { ':epoch': sessionEpoch, ':true': true },
        },
      },
    ]);
    if (failed.includes(0)) return 'reused';
    return failed.length === 0 ? 'rotated' : 'revoked';
  },

  async revokeFamily(tenantId, familyId, now) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: familyKey(tenantId, familyId),
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  },
};
