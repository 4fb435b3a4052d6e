import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '#functions/commons/logger';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { branchPath, expectStatus } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * The access log at LOG_LEVEL=info (docs/rules.md#logs): one JSON line per request, except the
 * requests screens repeat — a board, a public status, the manager's today, any list, any HEAD —
 * which log at debug, so that polls do not drown `npm start`'s output.
 */

let env: TestEnv;
let f: BranchFixture;
let token: string;

beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({});
  token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
});

afterEach(() => {
  logger.setLogLevel('SILENT');
});

/** The access-log lines (`"message":"request"`) that `work` prints at `level`. */
async function accessLines(level: 'INFO' | 'DEBUG', work: () => Promise<void>): Promise<string[]> {
  const chunks: string[] = [];
  logger.setLogLevel(level);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
    logger.setLogLevel('SILENT');
  }
  return chunks
    .join('')
    .split('\n')
    .filter((line) => line.includes('"message":"request"'));
}

describe('access log levels', () => {
  it('at info: a POST and a single read log one line each; board, public status, today, lists and HEAD none', async () => {
    const base = branchPath(f);
    let publicToken = '';
    const posted = await accessLines('INFO', async () => {
      const res = await call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.G!.id } });
      expectStatus(res, 201, 'enqueue');
      publicToken = res.body.ticket.publicToken;
      expectStatus(await call('GET', base, { token }), 200, 'get branch');
    });
    expect(posted).toHaveLength(2);
    expect(JSON.parse(posted[0]!)).toMatchObject({ level: 'INFO', method: 'POST', status: 201 });

    const polls = async () => {
      expectStatus(await call('GET', `${base}/board`, { token }), 200, 'board');
      expectStatus(await call('HEAD', `${base}/board`, { token }), 200, 'HEAD board');
      expectStatus(await call('GET', `/v1/public/tickets/${publicToken}`, { sourceIp: '198.51.100.7' }), 200);
      expectStatus(await call('GET', `${base}/today`, { token }), 200, 'today');
      expectStatus(await call('GET', `${base}/queues`, { token }), 200, 'list queues');
    };
    expect(await accessLines('INFO', polls)).toEqual([]);
    // Still there at debug, with their level.
    const debug = await accessLines('DEBUG', polls);
    expect(debug).toHaveLength(5);
    for (const line of debug) expect(JSON.parse(line).level).toBe('DEBUG');
  });
});
