import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '#local/seed';
import { createTestEnv } from '#tests/support/env';
import { REPORT_CSV_HEADER } from '#tests/support/rules';
import { startTestServer, type TestServer } from '#tests/support/server';

const exec = promisify(execFile);

/** The bash block of README.md between the walkthrough markers, exactly as a reader copies it. */
function walkthrough(): string {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const block = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no walkthrough block');
  return block[1]!;
}

const tools = async () => {
  try {
    await exec('bash', ['-c', 'command -v curl && command -v jq']);
    return true;
  } catch {
    return false;
  }
};

let server: TestServer;
let password: string;

beforeAll(async () => {
  await createTestEnv();
  password = (await seedDemo({ dataDir: mkdtempSync(join(tmpdir(), 'queueline-readme-')) })).password;
  server = await startTestServer();
});
afterAll(() => server?.close());

describe('README walkthrough', () => {
  it('runs from start to end against a fresh server, as a new user would', async () => {
    expect(await tools(), 'curl and jq are needed (.ci/run installs them)').toBe(true);
    const { stdout } = await exec('bash', ['-c', walkthrough()], {
      env: { ...process.env, API: server.url, PASS: password },
      timeout: 120_000,
    });
    const lines = stdout.trim().split(/\r?\n/);
    // Second ticket of queue A: position 2 behind A-001.
    expect(JSON.parse(lines[0]!)).toMatchObject({ code: 'A-002', position: 2 });
    expect(JSON.parse(lines[1]!)).toEqual({ code: 'A-001', status: 'serving' });
    expect(JSON.parse(lines[2]!)).toEqual({ code: 'A-001', status: 'done' });
    expect(JSON.parse(lines[3]!)).toMatchObject({ code: 'B-001', status: 'called' });
    const board = JSON.parse(lines[4]!);
    expect(board.queues).toEqual([
      { prefix: 'A', waiting: 2, next: ['A-002', 'A-003'] },
      { prefix: 'B', waiting: 0, next: [] },
    ]);
    expect(board.recentlyCalled.map((c: { code: string }) => c.code)).toEqual(['B-001', 'A-001']);
    expect(JSON.parse(lines[5]!)).toMatchObject({ code: 'A-002', status: 'waiting', position: 1 });
    expect(JSON.parse(lines[6]!)).toMatchObject({ code: 'A-002', status: 'waiting' });
    expect(JSON.parse(lines[7]!)).toMatchObject({ count: 1 });
    expect(JSON.parse(lines[8]!)).toMatchObject({ expired: 4 });
    expect(JSON.parse(lines[9]!)).toMatchObject({ issued: 6, served: 2, expired: 4 });
    expect(lines[10]).toBe(REPORT_CSV_HEADER);
    expect(lines.at(-1)).toBe('A-001');
  });
});
