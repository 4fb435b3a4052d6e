import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JWK } from 'jose';
import { resetDynamo } from '#core/adapters/dynamo/client';
import { expireRevocations, resetVerifier } from '#functions/commons/auth';
import { resetSigningKeys } from '#functions/commons/signing-keys';
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
export async function createTestEnv(): Promise<TestEnv> {
  const tableName = `test-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  const signingKey = await generateSigningKey();
  const outboxDir = mkdtempSync(join(tmpdir(), 'queueline-outbox-'));
  process.env.TABLE_NAME = tableName;
  process.env.QUEUELINE_SIGNING_KEYS = JSON.stringify({ keys: [signingKey] });
  process.env.QUEUELINE_CURSOR_KEY = generateCursorKey();
  process.env.OUTBOX_DIR = outboxDir;
  resetDynamo();
  resetSigningKeys();
  resetVerifier();
  expireRevocations();
  const client = new DynamoDBClient({
    endpoint: process.env.DYNAMODB_ENDPOINT,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, tableName);
  client.destroy();
  return { tableName, signingKey, outboxDir };
}
