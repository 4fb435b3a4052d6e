import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The DynamoDB document client, created on first use rather than at module load so that a
 * cold start pays for it only when a request needs it. `DYNAMODB_ENDPOINT` points it at
 * DynamoDB Local; in AWS the SDK's defaults apply.
 */
let instance: DynamoDBDocumentClient | undefined;

export function dynamo(): DynamoDBDocumentClient {
  if (!instance) {
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    const client = new DynamoDBClient(
      endpoint
        ? {
            endpoint,
            region: process.env.AWS_REGION ?? 'local',
            credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
            maxAttempts: 4,
          }
        : { maxAttempts: 4 },
    );
    // The SDK's logger middleware filters every command's input and output for sensitive data
    // (~0.1 ms a command) only to hand them to its no-op logger: our request log says what matters.
    client.middlewareStack.remove('loggerMiddleware');
    instance = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return instance;
}

export function tableName(): string {
  return process.env.TABLE_NAME ?? 'queueline';
}

/** Tests and benchmarks point the process at another table or endpoint. */
export function resetDynamo(): void {
  instance = undefined;
}
