import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { newPublicToken } from '#core/domain/public-token';
import { type LiveServer, startLiveServer } from '#local/live';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * The live channels of the local push server, fed by DynamoDB Local's change stream: a commit
 * reaches the channels that may see it, and only those; channels are authorized when opened
 * and end with their token.
 */

let env: TestEnv;
let live: LiveServer;
let admin: string;
let a1: BranchFixture;
let a2: BranchFixture;
let b1: BranchFixture;
const calls = ticketCalls(() => admin);

/** A WebSocket client that records every message it gets. */
async function listen() {
  const ws = new WebSocket(live.url);
  const messages: any[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    messages.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    messages,
    send: (m: unknown) => ws.send(JSON.stringify(m)),
    /** The first message (from `from` on) that `match` accepts; fails after `ms`. */
    async until(match: (m: any) => boolean, ms = 10_000, from = 0) {
      const deadline = Date.now() + ms;
      for (;;) {
        const found = messages.slice(from).find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such message in ${JSON.stringify(messages)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => ws.close(),
  };
}

beforeAll(async () => {
  env = await createTestEnv({ stream: true });
  const tenantA = ulid();
  a1 = await createBranchFixture({ tenantId: tenantA });
  a2 = await createBranchFixture({ tenantId: tenantA });
  b1 = await createBranchFixture({});
  admin = await mintToken(env.signingKey, { tenantId: tenantA, role: 'admin' });
  live = await startLiveServer({
    port: 0,
    host: '127.0.0.1',
    endpoint: inject('dynamoEndpoint'),
    tableName: env.tableName,
    recheckMs: 300,
    log: () => {},
  });
});
afterAll(async () => {
  await live?.close();
});

const display = (f: BranchFixture, branches = ['*'], expiresIn: string | number = '15m') =>
  mintToken(env.signingKey, { tenantId: f.tenantId, role: 'display', branches }, { expiresIn });

describe('a commit reaches its channels', () => {
  it('a call shows on the branch channel and on the ticket’s own channel, with the current state on open', async () => {
    const board = await listen();
    board.send({ action: 'subscribe', branchId: a1.branchId, token: await display(a1) });
    const opened = await board.until((m) => m.type === 'subscribed');
    expect(opened).toMatchObject({ channel: `branch/${a1.branchId}`, board: { branchId: a1.branchId } });

    const first = await calls.inQueue(a1, 'G');
    const second = await calls.inQueue(a1, 'G');
    const status = await listen();
    status.send({ action: 'subscribe', publicToken: second.ticket.publicToken });
    expect(await status.until((m) => m.type === 'subscribed')).toMatchObject({
      ticket: { code: second.ticket.code, status: 'waiting', position: 2 },
    });

    const from = board.messages.length;
    expectStatus(await calls.next(a1, 'Counter 1'), 200, 'call-next');
    const called = await board.until(
      (m) => m.type === 'board' && m.board.counters.some((c: any) => c.current?.code === first.ticket.code),
      10_000,
      from,
    );
    expect(called.channel).toBe(`branch/${a1.branchId}`);
    expect(JSON.stringify(called)).not.toContain(first.ticket.publicToken);
    // The waiting ticket behind it moved up: its own channel says so.
    expect(await status.until((m) => m.type === 'ticket' && m.ticket.position === 1)).toMatchObject({
      ticket: { code: second.ticket.code, status: 'waiting' },
    });

    expectStatus(await calls.next(a1, 'Counter 1'), 409, 'counter busy');
    expectStatus(await calls.act(a1, first.ticket.id, 'complete'), 200, 'complete');
    expectStatus(await calls.next(a1, 'Counter 1'), 200, 'call-next');
    expect(await status.until((m) => m.type === 'ticket' && m.ticket.status === 'called')).toMatchObject({
      ticket: { code: second.ticket.code, counterName: 'Counter 1' },
    });
    // A ticket channel only ever shows its own ticket.
    for (const m of status.messages.filter((m) => m.ticket)) expect(m.ticket.code).toBe(second.ticket.code);
    expectStatus(await calls.act(a1, second.ticket.id, 'complete'), 200, 'complete');
    board.close();
    status.close();
  });
});

describe('isolation', () => {
  it('another branch, another tenant, a wrong public token and a token without the branch get nothing', async () => {
    const sameTenantOtherBranch = await listen();
    sameTenantOtherBranch.send({ action: 'subscribe', branchId: a2.branchId, token: await display(a2) });
    await sameTenantOtherBranch.until((m) => m.type === 'subscribed');

    const otherTenant = await listen();
    // Another tenant's staff naming this branch's id: it is not a branch of theirs.
    otherTenant.send({ action: 'subscribe', branchId: a1.branchId, token: await display(b1) });
    expect(await otherTenant.until((m) => m.type === 'refused')).toMatchObject({ status: 404 });
    otherTenant.send({ action: 'subscribe', branchId: b1.branchId, token: await display(b1) });
    await otherTenant.until((m) => m.type === 'subscribed');

    const outOfScope = await listen();
    outOfScope.send({ action: 'subscribe', branchId: a1.branchId, token: await display(a1, [a2.branchId]) });
    expect(await outOfScope.until((m) => m.type === 'refused')).toMatchObject({ status: 403 });

    const noPermission = await listen();
    const kioskless = await mintToken(env.signingKey, {
      tenantId: a1.tenantId,
      role: 'custom',
      perms: ['tickets:create'],
    });
    noPermission.send({ action: 'subscribe', branchId: a1.branchId, token: kioskless });
    expect(await noPermission.until((m) => m.type === 'refused')).toMatchObject({ status: 403 });

    const forged = await listen();
    const issued = await calls.inQueue(a1, 'G');
    // Right tenant and ticket ids, wrong secret part; and a token of a ticket that does not exist.
    forged.send({ action: 'subscribe', publicToken: newPublicToken(a1.tenantId, issued.ticket.id) });
    forged.send({ action: 'subscribe', publicToken: newPublicToken(a1.tenantId, ulid()) });
    forged.send({ action: 'subscribe', branchId: a1.branchId, token: 'not.a.token' });
    await forged.until(() => forged.messages.length >= 3);
    expect(
      forged.messages
        .filter((m) => m.type === 'refused')
        .map((m) => m.status)
        .sort(),
    ).toEqual([401, 404, 404]);

    const watcher = await listen();
    watcher.send({ action: 'subscribe', branchId: a1.branchId, token: await display(a1) });
    await watcher.until((m) => m.type === 'subscribed');
    const seen = (c: Awaited<ReturnType<typeof listen>>) => c.messages.length;
    const before = [sameTenantOtherBranch, otherTenant, outOfScope, noPermission, forged].map(seen);

    await calls.inQueue(a1, 'G');
    expectStatus(await calls.next(a1, 'Counter 1'), 200, 'call-next');
    await watcher.until((m) => m.type === 'board' && m.changes.some((c: any) => c.status === 'called'));
    await new Promise((r) => setTimeout(r, 500));
    expect([sameTenantOtherBranch, otherTenant, outOfScope, noPermission, forged].map(seen)).toEqual(before);
    for (const c of [sameTenantOtherBranch, otherTenant, outOfScope, noPermission, forged, watcher])
      c.close();
  });

  it('a branch channel ends when its token expires', async () => {
    const c = await listen();
    c.send({ action: 'subscribe', branchId: a1.branchId, token: await display(a1, ['*'], '2s') });
    await c.until((m) => m.type === 'subscribed');
    expect(await c.until((m) => m.type === 'ended')).toMatchObject({
      channel: `branch/${a1.branchId}`,
      status: 401,
    });
    const from = c.messages.length;
    await calls.inQueue(a1, 'G');
    await new Promise((r) => setTimeout(r, 1000));
    expect(c.messages.slice(from)).toEqual([]);
    c.close();
  });

  it('bad frames are refused with 400 and change nothing', async () => {
    const c = await listen();
    for (const frame of [
      '{',
      '[]',
      JSON.stringify({ action: 'subscribe', branchId: a1.branchId }),
      'x'.repeat(5000),
    ])
      c.send(frame as never);
    await c.until(() => c.messages.length >= 4);
    expect(c.messages.map((m) => m.status)).toEqual([400, 400, 400, 400]);
    c.close();
  });
});
