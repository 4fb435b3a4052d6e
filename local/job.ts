import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { parseInstant } from '#functions/commons/run-instant';
import { handler as eraseContacts } from '#functions/erase-contacts';
import { handler as nightlyReset } from '#functions/nightly-reset';
import { type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import { ensureTable } from './table';

/**
 * `npm run job -- nightly-reset|erase-contacts [--at <ISO time>]`: invokes the same handler as
 * the EventBridge schedule, with the given clock (default: now), against
 *   1. DYNAMODB_ENDPOINT when set, else
 *   2. the DynamoDB Local a running `npm start` with the same DATA_DIR launched (it records its
 *      endpoint in $DATA_DIR/runtime.json), else
 *   3. a DynamoDB Local of our own on $DATA_DIR/dynamodb, stopped when the job ends.
 * Prints the handler's result as JSON. Exit codes: 0 done, 1 the job failed, 2 bad usage.
 */
const USAGE = `Usage: npm run job -- <job> [--at <ISO time>]

Jobs:
  nightly-reset   close the business day of every branch that is due (the hourly schedule's job)
  erase-contacts  erase the contact data of every ended ticket whose retention has passed (hourly)

Options:
  --at <ISO>      the instant the run is for, with a zone, e.g. 2025-03-10T02:05:00Z (default: now)
  -h, --help      show this help`;

const jobs: Record<string, (at: string | undefined) => Promise<unknown>> = {
  'nightly-reset': (at) => nightlyReset(at === undefined ? {} : { at }),
  'erase-contacts': (at) => eraseContacts(at === undefined ? {} : { at }),
};

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { at: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
}
try {
  args = parse();
} catch (error) {
  usageError((error as Error).message);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [name, ...extra] = args.positionals;
if (!name) usageError('Missing job name.');
const job = jobs[name];
if (!job) usageError(`Unknown job "${name}".`);
if (extra.length > 0) usageError(`Unexpected argument "${extra[0]}".`);
let at: string | undefined;
if (args.values.at !== undefined) {
  try {
    at = parseInstant(args.values.at).toISOString();
  } catch (error) {
    usageError(`--at: ${(error as Error).message}`);
  }
}

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dataDir = resolve(process.env.DATA_DIR ?? '.data');
process.env.TABLE_NAME ??= 'queueline';

/** The endpoint a running `npm start` recorded, if that process is still alive. */
function runningServerEndpoint(): string | undefined {
  const file = resolve(dataDir, 'runtime.json');
  if (!existsSync(file)) return undefined;
  try {
    const runtime = JSON.parse(readFileSync(file, 'utf8')) as { endpoint?: string; pid?: number };
    if (!runtime.endpoint || !runtime.pid) return undefined;
    process.kill(runtime.pid, 0); // throws when the process is gone (a stale file after a crash)
    return runtime.endpoint;
  } catch {
    return undefined;
  }
}

let dynamo: DynamoDbLocal | undefined;
let exitCode = 0;
try {
  let endpoint = process.env.DYNAMODB_ENDPOINT ?? runningServerEndpoint();
  if (!endpoint) {
    dynamo = await startDynamoDbLocal({ dbPath: resolve(dataDir, 'dynamodb') });
    endpoint = dynamo.endpoint;
  }
  process.env.DYNAMODB_ENDPOINT = endpoint;
  const client = new DynamoDBClient({
    endpoint,
    region: process.env.AWS_REGION ?? 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  await ensureTable(client, process.env.TABLE_NAME);
  client.destroy();

  const result = await job(at);
  console.log(JSON.stringify(result, null, 2));
} catch (error) {
  console.error(`Job "${name}" failed:`, error);
  exitCode = 1;
} finally {
  await dynamo?.stop();
}
process.exit(exitCode);
