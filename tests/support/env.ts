import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JWK } from 'jose';
import { resetDynamo } from '#core/adapters/dynamo/client';
import { expireRevocations, resetVerifier } from '#functions/commons/auth';
import { resetSigningKeys, signingEnvironment } from '#functions/commons/signing-keys';
import { generateCursorKey, generateSigningKey } from '#local/keys';
import { ensureTable } from '#local/table';

export interface TestEnv {
  tableName: string;
  signingKey: JWK;
  outboxDir: string;
}

let counter = 0;

/**
 * A fresh table (and signing key, and mail outbox) for the calling test file, on the shared
 * DynamoDB Local. Call it in `beforeAll`.
 */
/** `stream`: the table has its change stream (the live tests; see local/table.ts). */
export async function createTestEnv({ stream = false }: { stream?: boolean } = {}): Promise<TestEnv> {
  const tableName = `test-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const signingKey = await generateSigningKey();
  const outboxDir = mkdtempSync(join(tmpdir(), 'queueline-outbox-'));
  process.env.TABLE_NAME = tableName;
  useSigningKeys([signingKey]);
  process.env.QUEUELINE_CURSOR_KEY = generateCursorKey();
  process.env.OUTBOX_DIR = outboxDir;
  resetDynamo();
  expireRevocations();
  const client = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName, { stream });
  client.destroy();
  return { tableName, signingKey, outboxDir };
}

/**
 * The process signs with the first of these keys and verifies with the public halves of all
 * of them, as login/refresh and the verifiers do in AWS.
 */
export function useSigningKeys(keys: JWK[]): void {
  Object.assign(process.env, signingEnvironment({ keys }));
  resetSigningKeys();
  resetVerifier();
}
