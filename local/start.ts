import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { routes } from '#core/contract/index';
import { signingEnvironment } from '#functions/commons/signing-keys';
import { vapidEnvironment } from '#functions/commons/vapid-keys';
import { notifyRecords } from '#functions/notify';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { loadOrCreateCursorKey, loadOrCreateSigningKeys, loadOrCreateVapidKeys } from './keys';
import { startLiveServer } from './live';
import { seedDemo } from './seed';
import { createServer, listen } from './server';
import { ensureTable } from './table';
import { APP_PATH, ensureWebBuild, serveWeb } from './web';

/**
 * `npm start`: DynamoDB Local (persisted under DATA_DIR) or DYNAMODB_ENDPOINT, the table, the
 * demo seed, and every route of the route table on http://localhost:$PORT.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const port = Number(process.env.PORT ?? 3000);
process.env.TABLE_NAME ??= 'queueline';
const tableName = process.env.TABLE_NAME;
mkdirSync(dataDir, { recursive: true });
process.env.OUTBOX_DIR ??= resolve(dataDir, 'outbox');

let dynamo: DynamoDbLocal | undefined;
if (!process.env.DYNAMODB_ENDPOINT) {
  dynamo = await startDynamoDbLocal({ dbPath: resolve(dataDir, 'dynamodb') });
  process.env.DYNAMODB_ENDPOINT = dynamo.endpoint;
}
const runtimeFile = resolve(dataDir, 'runtime.json');
writeFileSync(
  runtimeFile,
  JSON.stringify({ endpoint: process.env.DYNAMODB_ENDPOINT, tableName, pid: process.pid }),
);
Object.assign(process.env, signingEnvironment(JSON.parse(await loadOrCreateSigningKeys(dataDir))));
process.env.QUEUELINE_CURSOR_KEY = loadOrCreateCursorKey(dataDir);
Object.assign(process.env, vapidEnvironment(loadOrCreateVapidKeys(dataDir)));

const client = new DynamoDBClient({
  endpoint: process.env.DYNAMODB_ENDPOINT,
  region: process.env.AWS_REGION ?? 'local',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
await ensureTable(client, tableName, { stream: true });
client.destroy();

const credentials = await seedDemo({ dataDir, password: process.env.DEMO_ADMIN_PASSWORD });

// The web app (web/): built here when missing or older than its sources, served at /app/.
let webApp = true;
try {
  await ensureWebBuild({ log: (line) => console.log(line) });
} catch (error) {
  webApp = false;
  console.error('The web app could not be built (the API runs without it):', error);
}

// The push server of the live channels, on its own port; GET /v1/live tells clients its URL.
const live = await startLiveServer({
  port: Number(process.env.LIVE_PORT ?? port + 1),
  host: process.env.HOST ?? '0.0.0.0',
  endpoint: process.env.DYNAMODB_ENDPOINT,
  tableName,
  // Customers' messages (SMS, email, web push; written to the outbox too) from the same stream.
  consumers: [{ name: 'notify', onRecords: notifyRecords }],
});
process.env.LIVE_URL ??= live.url;

const server = createServer(routes, serveWeb);
const url = await listen(server, port, process.env.HOST ?? '0.0.0.0');
// Signup mails link to `$APP_URL/verify-email?token=…`: the web app's page on this server.
if (webApp) process.env.APP_URL ??= `${url}/app`;
console.log(`
Queueline is running.
  App        ${webApp ? `${url}${APP_PATH}` : '(not built: npm run build:web)'}
  API        ${url}/v1
  Health     ${url}/health
  Docs       ${url}/docs   (OpenAPI: ${url}/openapi.json)
  Live       ${live.url}   (push channels; GET ${url}/v1/live)
  DynamoDB   ${process.env.DYNAMODB_ENDPOINT}${dynamo ? ` (embedded, data in ${resolve(dataDir, 'dynamodb')})` : ''}
  Mail       ${process.env.OUTBOX_DIR}   (and every SMS, email and web push message to customers)
  Demo login tenant "${credentials.tenant}", username "${credentials.username}", password "${credentials.password}"
             (saved in ${resolve(dataDir, 'demo-credentials.json')})
`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: shutting down`);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await live.close();
  await dynamo?.stop();
  if (existsSync(runtimeFile)) rmSync(runtimeFile);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
