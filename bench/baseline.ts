import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/**
 * The cold-start baseline (docs/rules.md#quality-bars, bench section 1): the smallest useful
 * DynamoDB Lambda — it creates a document client at module load and sends one command per
 * invocation. Bundled with the settings of scripts/build.ts; a Queueline function should cost
 * little more to import.
 */
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => {
  const { Item } = await client.send(
    new GetCommand({ TableName: process.env.TABLE_NAME ?? 'queueline', Key: { pk: 'bench', sk: 'bench' } }),
  );
  return { statusCode: 200, body: JSON.stringify(Item ?? null) };
};
