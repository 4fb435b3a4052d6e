import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HandlerExecutionContext } from '@smithy/types';
import { dynamo } from '#core/adapters/dynamo/client';
import { type DynamoDbLocal, startDynamoDbLocal } from '#local/dynamodb-local';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { progress } from './common';

/**
 * The in-process sections run the real handlers and use cases against DynamoDB Local: the one
 * `npm run bench` started (DYNAMODB_ENDPOINT, in memory) or, when a section runs on its own, one
 * of their own. Each section gets a fresh table (tests/support/env.ts) and drops it at the end.
 */
export async function benchEnv(
  options: { stream?: boolean } = {},
): Promise<{ env: TestEnv; close(): Promise<void> }> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  let local: DynamoDbLocal | undefined;
  if (!process.env.DYNAMODB_ENDPOINT) {
    progress('starting DynamoDB Local (in memory)');
    local = await startDynamoDbLocal();
    process.env.DYNAMODB_ENDPOINT = local.endpoint;
  }
  const env = await createTestEnv(options);
  return {
    env,
    async close() {
      const client = new DynamoDBClient({
        endpoint: process.env.DYNAMODB_ENDPOINT,
        region: 'local',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await client.send(new DeleteTableCommand({ TableName: env.tableName })).catch(() => {});
      client.destroy();
      await local?.stop();
    },
  };
}

export { batchPut } from '#tests/support/aggregates';

export interface DynamoTimer {
  /** Intervals [start, end] (performance.now()) recorded since the last take, then cleared. */
  take(): {
    sdk: Array<[number, number]>;
    wire: Array<[number, number]>;
    commands: string[];
    sdkCpuMs: number;
  };
  stop(): void;
}

/**
 * Times every DynamoDB command through two middlewares on `dynamo()`'s stack (no call site
 * changes): `sdk` spans the whole `send` (outermost, initialize step: marshalling, signing,
 * retries, HTTP, parsing), `wire` only the HTTP round trip (innermost, deserialize step, after
 * the SDK's deserializer): what is left of a handler's time once `sdk` is taken out is our own
 * code; once only `wire` is, our code plus the SDK's CPU. `sdkCpuMs` is the process CPU time
 * spent while any command was inside the SDK, for the CPU-time view of the same split.
 */
export function timeDynamo(client: DynamoDBDocumentClient = dynamo()): DynamoTimer {
  let sdk: Array<[number, number]> = [];
  let wire: Array<[number, number]> = [];
  let commands: string[] = [];
  // CPU time of the process while at least one command is inside the SDK (process-wide, so a
  // descheduled process costs nothing here, unlike wall time).
  let inFlight = 0;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  let sdkCpuMs = 0;
  client.middlewareStack.add(
    (next: any, context: HandlerExecutionContext) => async (args: any) => {
      if (inFlight++ === 0) cpuAtFirst = process.cpuUsage();
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        sdk.push([start, performance.now()]);
        commands.push((context.commandName ?? '?').replace(/Command$/, ''));
        if (--inFlight === 0 && cpuAtFirst) {
          const used = process.cpuUsage(cpuAtFirst);
          sdkCpuMs += (used.user + used.system) / 1000;
        }
      }
    },
    { step: 'initialize', priority: 'high', name: 'benchSdkTimer' },
  );
  client.middlewareStack.add(
    (next: any) => async (args: any) => {
      const start = performance.now();
      try {
        return await next(args);
      } finally {
        wire.push([start, performance.now()]);
      }
    },
    { step: 'deserialize', priority: 'low', name: 'benchWireTimer' },
  );
  return {
    take() {
      const out = { sdk, wire, commands, sdkCpuMs };
      sdk = [];
      wire = [];
      commands = [];
      sdkCpuMs = 0;
      return out;
    },
    stop() {
      client.middlewareStack.remove('benchSdkTimer');
      client.middlewareStack.remove('benchWireTimer');
    },
  };
}
