import { createHash } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from './client';

/**
 * Fixed one-minute windows per client, counted with an atomic ADD so every Lambda instance
 * shares the count. Client addresses are stored only as hashes.
 */
export async function countRequest(
  scope: string,
  client: string,
  now: Date,
): Promise<{ count: number; secondsLeft: number }> {
  const minute = Math.floor(now.getTime() / 60_000);
  const hashed = createHash('sha256').update(`${scope}\n${client}`).digest('base64url');
  const { Attributes } = await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: { pk: `RATE#${hashed}#${minute}`, sk: 'RATE' },
      UpdateExpression: 'ADD #count :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':ttl': (minute + 2) * 60 },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return {
    count: Attributes!.count as number,
    secondsLeft: 60 - Math.floor((now.getTime() % 60_000) / 1000),
  };
}
