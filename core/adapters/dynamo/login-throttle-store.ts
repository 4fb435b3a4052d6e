import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ServiceUnavailableError } from '../../domain/errors';
import {
  decideAttempt,
  LOGIN_MAX_FAILURES,
  LOGIN_WINDOW_MS,
  type ThrottleWindow,
  windowCutoff,
} from '../../domain/login-throttle';
import type { LoginThrottle, ThrottleClaim } from '../../ports/sessions';
import { dynamo, tableName } from './client';
import { isConditionFailed } from './errors';
import { type LoginThrottleItem, loginThrottleKey } from './items/login-throttle';

/**
 * Each attempt is claimed with one conditional write, so parallel attempts can never exceed
 * the limit: count within the current window, or start a new window over a passed one.
 */
async function claim(subject: string, now: Date): Promise<ThrottleClaim> {
  const Key = loginThrottleKey(subject);
  for (let attempt = 0; attempt < 5; attempt++) {
    let current: ThrottleWindow | undefined;
    try {
      const { Attributes } = await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key,
          UpdateExpression: 'ADD #count :one',
          ConditionExpression: 'windowStart > :cutoff AND #count < :max',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':one': 1, ':cutoff': windowCutoff(now), ':max': LOGIN_MAX_FAILURES },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { claimed: true, subject, windowStart: Attributes!.windowStart as number };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const old = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      current = old && (unmarshall(old) as LoginThrottleItem);
    }
    const decision = decideAttempt(current, now);
    if (decision.kind === 'locked') return { claimed: false, retryAfterSeconds: decision.retryAfterSeconds };
    if (decision.kind === 'count') continue; // the window changed under us: count again
    const windowStart = now.getTime();
    const item: LoginThrottleItem = {
      ...Key,
      type: 'login-throttle',
      count: 1,
      windowStart,
      ttl: Math.ceil((windowStart + LOGIN_WINDOW_MS) / 1000) + 60,
    };
    try {
      await dynamo().send(
        new PutCommand({
          TableName: tableName(),
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR windowStart <= :cutoff',
          ExpressionAttributeValues: { ':cutoff': windowCutoff(now) },
        }),
      );
      return { claimed: true, subject, windowStart };
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      // Another attempt started the new window first: count within it.
    }
  }
  throw new ServiceUnavailableError('Too many simultaneous login attempts, retry shortly');
}

export const dynamoLoginThrottle: LoginThrottle = {
  claim,

  async release({ subject, windowStart }) {
    try {
      await dynamo().send(
        new UpdateCommand({
          TableName: tableName(),
          Key: loginThrottleKey(subject),
          UpdateExpression: 'ADD #count :minusOne',
          // Only the window the attempt was counted in: a newer one does not owe it anything.
          ConditionExpression: 'windowStart = :windowStart AND #count > :zero',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':minusOne': -1, ':windowStart': windowStart, ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
    }
  },
};
