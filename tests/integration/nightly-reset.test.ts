import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { ticketContext } from '#functions/commons/context';
import { handler, parseInstant } from '#functions/nightly-reset';
import { ROOT } from '#scripts/build';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv } from '#tests/support/env';

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  await createTestEnv();
});

describe('functions/nightly-reset handler', () => {
  it('runs for the local runner clock `at`', async () => {
    await expect(handler({ at: '2025-03-10T02:05:00+01:00' })).resolves.toEqual({
      at: '2025-03-10T01:05:00.000Z',
      due: 0,
      queued: 0,
      closed: 0,
      expired: 0,
      failed: 0,
      branches: [],
    });
  });

  it('runs for the scheduled time EventBridge Scheduler puts in the payload', async () => {
    await expect(handler({ scheduledTime: '2025-03-10T03:05:00Z' })).resolves.toMatchObject({
      at: '2025-03-10T03:05:00.000Z',
      closed: 0,
      branches: [],
    });
  });

  it('accepts a classic EventBridge Scheduled Event', async () => {
    const event = {
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2025-03-10T04:00:00Z',
      detail: {},
    };
    await expect(handler(event)).resolves.toMatchObject({ at: '2025-03-10T04:00:00.000Z', closed: 0 });
  });

  it('defaults to now', async () => {
    const before = Date.now();
    const { at } = await handler({});
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
    expect((await handler(undefined)).closed).toBe(0);
  });

  it('refuses an instant that is not ISO 8601 with a zone', async () => {
    for (const bad of [
      'tomorrow',
      '2025-03-10',
      '2025-03-10T02:05:00',
      '2025-02-30T00:00:00Z',
      '2025-03-10T24:00Z',
    ]) {
      expect(() => parseInstant(bad), bad).toThrow(RangeError);
    }
    await expect(handler({ at: 'yesterday' })).rejects.toThrow(/ISO 8601/);
  });
});

describe('npm run job', () => {
  const endpoint = process.env.DYNAMODB_ENDPOINT!;
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  afterAll(() => client.destroy());

  function job(args: string[], env: Record<string, string | undefined>) {
    const { NODE_OPTIONS: _o, DYNAMODB_ENDPOINT: _e, TABLE_NAME: _t, DATA_DIR: _d, ...base } = process.env;
    return exec(process.execPath, ['--import', 'tsx', 'local/job.ts', ...args], {
      cwd: ROOT,
      env: { ...base, LOG_LEVEL: 'silent', ...env },
      timeout: 90_000,
    });
  }
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'queueline-job-'));
    dirs.push(dir);
    return dir;
  };
  const tableName = (suffix: string) => `job-${process.pid}-${Date.now().toString(36)}-${suffix}`;

  it('nightly-reset --at uses DYNAMODB_ENDPOINT, ensures the table and prints the result', async () => {
    const table = tableName('env');
    const { stdout } = await job(['nightly-reset', '--at', '2025-03-10T02:05:00Z'], {
      DYNAMODB_ENDPOINT: endpoint,
      TABLE_NAME: table,
      DATA_DIR: dataDir(),
    });
    expect(JSON.parse(stdout)).toMatchObject({ at: '2025-03-10T02:05:00.000Z', closed: 0, expired: 0 });
    await expect(client.send(new DescribeTableCommand({ TableName: table }))).resolves.toBeDefined();
  });

  it('closes a due branch once: the same --at again closes nothing', async () => {
    const f = await createBranchFixture({ now: new Date('2025-03-09T12:00:00Z') });
    const actor = {
      tenantId: f.tenantId,
      userId: f.branchId,
      roleId: 'admin',
      permissions: [],
      branches: ['*'],
    };
    const ctx = ticketContext({
      actor,
      now: new Date('2025-03-09T12:30:00Z'),
    });
    await enqueue(ctx, { branchId: f.branchId, queueId: f.queues.G!.id });
    const env = { DYNAMODB_ENDPOINT: endpoint, TABLE_NAME: process.env.TABLE_NAME!, DATA_DIR: dataDir() };
    const run = async () =>
      JSON.parse((await job(['nightly-reset', '--at', '2025-03-10T05:00:00Z'], env)).stdout) as {
        closed: number;
        branches: Array<{ branchId: string; expired: number; closedThrough: string }>;
      };
    const first = await run();
    expect(first.branches.find((b) => b.branchId === f.branchId)).toMatchObject({
      expired: 1,
      closedThrough: '2025-03-09',
    });
    expect((await run()).closed).toBe(0);
  });

  it('uses the DynamoDB Local that a running `npm start` recorded in $DATA_DIR/runtime.json', async () => {
    const dir = dataDir();
    const table = tableName('runtime');
    writeFileSync(
      join(dir, 'runtime.json'),
      JSON.stringify({ endpoint, tableName: table, pid: process.pid }),
    );
    const { stdout } = await job(['nightly-reset'], { DATA_DIR: dir, TABLE_NAME: table });
    expect(JSON.parse(stdout).closed).toBe(0);
    await expect(client.send(new DescribeTableCommand({ TableName: table }))).resolves.toBeDefined();
  });

  it('starts its own DynamoDB Local on $DATA_DIR when nothing is running', async () => {
    const dir = dataDir();
    // A runtime.json left behind by a crashed server (its pid is gone) is ignored.
    writeFileSync(
      join(dir, 'runtime.json'),
      JSON.stringify({ endpoint: 'http://127.0.0.1:9', pid: 2 ** 22 + 7 }),
    );
    const { stdout } = await job(['nightly-reset', '--at', '2025-03-10T02:05:00.250Z'], { DATA_DIR: dir });
    expect(JSON.parse(stdout)).toMatchObject({ at: '2025-03-10T02:05:00.250Z', closed: 0, expired: 0 });
  });

  it.each([
    [['nightly-reset', '--at', 'not-a-date'], /--at: Invalid instant "not-a-date"/],
    [['nightly-reset', '--at', '2025-03-10T02:05:00'], /with a zone/],
    [['nightly-reset', '--at'], /--at/],
    [['no-such-job'], /Unknown job "no-such-job"/],
    [[], /Missing job name/],
  ])('exits 2 with a clear message on bad usage: %j', async (args, message) => {
    const failure = await job(args, { DATA_DIR: dataDir() }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(message);
    expect(failure?.stderr).toMatch(/Usage: npm run job/);
  });
});
