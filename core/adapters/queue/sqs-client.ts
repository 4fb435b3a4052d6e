import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';

/**
 * The SQS call, alone in its module so that close-queue.ts can `import()` it when it first sends:
 * functions that never continue a close elsewhere do not load the client at cold start.
 */
let client: SQSClient | undefined;

export function sqs(): SQSClient {
  client ??= new SQSClient({});
  return client;
}

/** Sends up to 10 message bodies in one request; returns the positions SQS did not accept. */
export async function sendBatch(queueUrl: string, bodies: readonly string[]): Promise<number[]> {
  const { Failed } = await sqs().send(
    new SendMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: bodies.map((MessageBody, i) => ({ Id: String(i), MessageBody })),
    }),
  );
  return (Failed ?? []).map((f) => Number(f.Id));
}
