import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentScope } from './request-scope';

/**
 * How long one HTTP attempt to DynamoDB may take, and how many attempts a call makes. DynamoDB
 * answers item operations in milliseconds; an attempt that takes seconds is a network or
 * service fault, and a fresh attempt (the SDK's retry, on another connection) does better than
 * waiting on. The SDK's default would wait up to 300 s on a silent socket. Four attempts with
 * the SDK's backoff (50 ms base, 1 s for throttles) still fit a request's deadline, which cuts
 * whatever is left (http.ts; docs/decisions.md has the arithmetic). `DYNAMODB_ATTEMPT_TIMEOUT_MS`
 * overrides the attempt timeout (the test suite's DynamoDB Local shares a busy machine).
 */
const CONNECT_TIMEOUT_MS = 1000;
const ATTEMPT_TIMEOUT_MS = 2000;
export const MAX_ATTEMPTS = 4;

/**
 * The DynamoDB document client, created on first use rather than at module load so that a
 * cold start pays for it only when a request needs it. `DYNAMODB_ENDPOINT` points it at
 * DynamoDB Local; in AWS the SDK's defaults apply, with our timeouts and attempts.
 */
let instance: DynamoDBDocumentClient | undefined;

/** What extendDynamo was given: applied to every client created from then on. */
const extensions: Array<(client: DynamoDBDocumentClient) => void> = [];

/**
 * Applies `extend` to the client now and to every client a later `resetDynamo()` leads to: the
 * test suite puts its check of each function's grant on the stack this way
 * (tests/support/dynamo-grants.ts).
 */
export function extendDynamo(extend: (client: DynamoDBDocumentClient) => void): void {
  extensions.push(extend);
  if (instance) extend(instance);
}

export function dynamo(): DynamoDBDocumentClient {
  if (!instance) {
    const endpoint = process.env.DYNAMODB_ENDPOINT;
    const client = new DynamoDBClient({
      ...(endpoint && {
        endpoint,
        region: process.env.AWS_REGION ?? 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      maxAttempts: MAX_ATTEMPTS,
      requestHandler: {
        connectionTimeout: CONNECT_TIMEOUT_MS,
        requestTimeout: Number(process.env.DYNAMODB_ATTEMPT_TIMEOUT_MS) || ATTEMPT_TIMEOUT_MS,
        throwOnRequestTimeout: true,
      },
    });
    // The SDK's logger middleware filters every command's input and output for sensitive data
    // (~0.1 ms a command) only to hand them to its no-op logger: our request log says what matters.
    client.middlewareStack.remove('loggerMiddleware');
    const doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
    // Every call made inside a request is bound to its deadline: the signal aborts the attempt in
    // flight and the SDK's backoff between attempts.
    const send = doc.send.bind(doc) as (command: unknown, options?: unknown) => Promise<unknown>;
    doc.send = ((command: unknown, options?: unknown) => {
      const signal = currentScope()?.signal;
      return send(command, options ?? (signal && { abortSignal: signal }));
    }) as typeof doc.send;
    for (const extend of extensions) extend(doc);
    instance = doc;
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
