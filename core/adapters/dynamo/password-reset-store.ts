import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '#core/domain/tenant';
import type { PasswordResetStore } from '#core/ports/password-resets';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { type PasswordResetItem, passwordResetKey } from './items/password-reset';

export const dynamoPasswordResetStore: PasswordResetStore = {
  async issue(tokenHash, { tenantId, userId, sessionEpoch, expiresAt }) {
    const item: PasswordResetItem = {
      ...passwordResetKey(tokenHash),
      type: 'password-reset',
      tenantId,
      userId,
      sessionEpoch,
      ttl: epochSeconds(expiresAt),
    };
    await dynamo().send(
      new PutCommand({ TableName: tableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
    );
  },

  async find(tokenHash) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: passwordResetKey(tokenHash), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { tenantId, userId, sessionEpoch, ttl } = Item as PasswordResetItem;
    return { tenantId, userId, sessionEpoch, expiresAt: new Date(ttl * 1000) };
  },

  async consume(tokenHash) {
    try {
      await dynamo().send(
        new DeleteCommand({
          TableName: tableName(),
          Key: passwordResetKey(tokenHash),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw error;
    }
  },
};
