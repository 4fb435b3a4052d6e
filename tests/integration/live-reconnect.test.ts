import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveServerMessage } from '#core/contract/live';
import { type LiveServer, startLiveServer } from '#local/live';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';
import { LiveConnection } from '#web/live';

/**
 * The web app's live connection (web/src/live.ts) against the local push server: killed and
 * started again, the client reconnects by itself and the board it then gets shows what
 * happened while the server was down.
 */

let env: TestEnv;
let f: BranchFixture;
let admin: string;
let live: LiveServer | undefined;
const calls = ticketCalls(() => admin);

const start = (port: number) =>
  startLiveServer({
    port,
    host: '127.0.0.1',
    endpoint: inject('dynamoEndpoint'),
    tableName: env.tableName,
    log: () => {},
  });

beforeAll(async () => {
  env = await createTestEnv({ stream: true });
  f = await createBranchFixture({});
  admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
});
afterAll(async () => {
  await live?.close();
});

async function until(check: () => boolean, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('reconnects after the push server restarts and catches up with the current board', async () => {
  live = await start(0);
  const port = Number(new URL(live.url).port);
  const connection = new LiveConnection(live.url, {
    WebSocket: WebSocket as never,
    minDelayMs: 100,
    maxDelayMs: 500,
  });
  const boards: any[] = [];
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'display' });
  connection.subscribe(
    `branch/${f.branchId}`,
    async () => ({ branchId: f.branchId, token }),
    (m: LiveServerMessage) => {
      if ('board' in m) boards.push(m.board);
    },
  );
  await until(() => boards.length === 1, 'the board on subscribe');
  expect(connection.connected).toBe(true);

  await live.close();
  await until(() => !connection.connected, 'the disconnect');
  // While the server is down, a ticket is issued and called.
  const issued = await calls.inQueue(f, 'G');
  expectStatus(await calls.next(f, 'Counter 1'), 200, 'call-next');
  const seen = boards.length;

  live = await start(port);
  await until(() => connection.connected && boards.length > seen, 'the reconnect and its board');
  expect(boards.at(-1).counters[0].current).toMatchObject({ code: issued.ticket.code, status: 'called' });

  // And pushes flow again on the new connection.
  expectStatus(await calls.act(f, issued.ticket.id, 'complete'), 200, 'complete');
  await until(() => boards.at(-1).counters[0].current === null, 'the push after the reconnect');
  connection.close();
});
