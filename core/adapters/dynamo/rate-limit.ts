import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RequestCounter } from '#core/ports/rate-limit';
import { dynamo, tableName } from './client';
import { rateWindowKey } from './items/rate-limit';

/**
 * One item per scope, subject and window, counted with an atomic ADD so every Lambda instance
 * shares the count. Subjects (client addresses, accounts) are stored only as hashes.
 */
export const countRequest: RequestCounter = async (scope, subject, windowSeconds, now) => {
  const windowMs = windowSeconds * 1000;
  const window = Math.floor(now.getTime() / windowMs);
  const hashed = createHash('sha256').update(`${scope}\n${subject}`).digest('base64url');
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: rateWindowKey(hashed, windowSeconds, window),
      UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
      // Kept one window past its end: DynamoDB's TTL deletes late anyway, and nothing reads it then.
      ExpressionAttributeValues: { ':one': 1, ':ttl': (window + 2) * windowSeconds },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return {
    count: Attributes!.count as number,
    secondsLeft: Math.ceil(((window + 1) * windowMs - now.getTime()) / 1000),
  };
};
