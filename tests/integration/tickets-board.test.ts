import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { businessDayOf } from '#core/domain/business-day';
import { INDEX_SETTLE_MS } from '#core/ports/tickets';
import { type ApiResponse, call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { lagIndex } from '#tests/support/fault-injection';
import { branchPath, expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * The waiting-room board and the customer's public status page, through the real handlers.
 *
 * The board's ETag follows the board's content, not the clock: an idle board keeps its tag
 * (304 for the cost of the setup read) across minutes, while whatever changes what it shows —
 * a write, aging reordering `next`, the business day, an index that had not caught up — gives
 * a 200 with a new tag. The wall clock is faked (Date only: timers and the SDK keep running).
 */

let env: TestEnv;
/** The tenant of the tests of the board's and the status page's shapes, and its agent. */
const tenantId = ulid();
let agent: string;
beforeAll(async () => {
  env = await createTestEnv();
  agent = await mintToken(env.signingKey, { tenantId, role: 'agent' });
});
afterEach(() => {
  vi.useRealTimers();
});

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/**
 * A fake wall clock starting at 12:00:10 UTC tomorrow: its timeline (a quarter of an hour either
 * side) stays inside one business day of the fixture's branch (Madrid, reset at 03:00), whatever
 * the real time of the run — near 02:00 UTC the day would turn over mid-test.
 */
function clock() {
  const start = Math.ceil(Date.now() / DAY) * DAY + 12 * 60 * MIN + 10_000;
  vi.useFakeTimers({ toFake: ['Date'] });
  const at = (ms: number) => vi.setSystemTime(new Date(start + ms));
  at(0);
  return { start, at };
}

interface World {
  f: BranchFixture;
  token: string;
  base: string;
}

async function world(options: Parameters<typeof createBranchFixture>[0] = {}): Promise<World> {
  const f = await createBranchFixture(options);
  // Valid over the whole faked timeline (minted at its earliest instant).
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' }, { expiresIn: '2h' });
  return { f, token, base: `/v1/branches/${f.branchId}` };
}

const issue = async (w: World, queue: string, extra: Record<string, unknown> = {}) => {
  const res = await call('POST', `${w.base}/tickets`, {
    token: w.token,
    body: { queueId: w.f.queues[queue]!.id, ...extra },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.ticket as { id: string; code: string };
};

/** GET the board with the tag held; the DynamoDB requests it cost. */
async function poll(w: World, etag?: string) {
  const m = measureDynamo();
  try {
    const res = await call('GET', `${w.base}/board`, {
      token: w.token,
      headers: etag ? { 'if-none-match': etag } : {},
    });
    return { res, requests: m.requests(), queries: m.requests('Query') };
  } finally {
    m.stop();
  }
}

const fixture = (options: Parameters<typeof createBranchFixture>[0] = {}) =>
  createBranchFixture({ tenantId, agingMinutes: 0, ...options });
const b = branchPath;
const { inQueue, next, act, getTicket } = ticketCalls(() => agent);

describe('board ETag', () => {
  it('an idle board polled across minute boundaries stays 304 at one request; a change gives 200 and a new tag', async () => {
    const t = clock();
    const w = await world();
    const first = await issue(w, 'G');
    await issue(w, 'G');
    // Read once the index has settled after the last change.
    t.at(INDEX_SETTLE_MS + 1_000);
    const full = await poll(w);
    expect(full.res.status).toBe(200);
    expect(full.res.body.queues[0].next).toHaveLength(2);
    const etag = full.res.headers.etag!;
    // The same minute, the next minute, three minutes on: the same tag, one setup read each.
    for (const at of [INDEX_SETTLE_MS + 5_000, MIN - 5_000, MIN + 5_000, 3 * MIN + 30_000]) {
      t.at(at);
      const again = await poll(w, etag);
      expect(again.res.status, `at +${at} ms`).toBe(304);
      expect(again.res.headers.etag).toBe(etag);
      expect(again.requests).toBe(1);
      expect(again.queries).toBe(1);
    }
    // `*` matches whatever the board is, as before.
    expect((await poll(w, '*')).res.status).toBe(304);
    // A write changes the board: 200 with a new tag, which then holds.
    const called = await call('POST', `${w.base}/counters/${w.f.counters['Counter 1']}/call-next`, {
      token: w.token,
    });
    expect(called.body.ticket.id).toBe(first.id);
    const changed = await poll(w, etag);
    expect(changed.res.status).toBe(200);
    expect(changed.res.body.queues[0].next).toHaveLength(1);
    expect(changed.res.headers.etag).not.toBe(etag);
  });

  it('aging reorders `next` with no write: 304 up to that instant, then 200 with the new order and tag', async () => {
    const t = clock();
    t.at(-15 * MIN);
    const w = await world({
      agingMinutes: 10,
      priorities: { Urgent: { rank: 1 }, General: { rank: 3 } },
      queues: { G: { priority: 'General' } },
      counters: { D: { queues: ['G'] } },
    });
    // `old` (rank 3) is queued 14 minutes before `urgent` (rank 1, an individual priority).
    const old = await issue(w, 'G');
    t.at(-1 * MIN);
    const urgent = await issue(w, 'G', { priorityId: w.f.priorities.Urgent!.id });
    // Now `old` has effective rank 2, `urgent` 1; at +5 min `old` reaches 1 and, queued
    // earlier, goes first.
    t.at(0);
    const before = await poll(w);
    expect(before.res.body.queues[0].next).toEqual([urgent.code, old.code]);
    const etag = before.res.headers.etag!;
    t.at(5 * MIN - 1_000);
    const still = await poll(w, etag);
    expect(still.res.status).toBe(304);
    expect(still.requests).toBe(1);
    t.at(5 * MIN + 1_000);
    const after = await poll(w, etag);
    expect(after.res.status).toBe(200);
    expect(after.res.body.queues[0].next).toEqual([old.code, urgent.code]);
    expect(after.res.headers.etag).not.toBe(etag);
    // At +9 min `urgent` steps down to 0 and is first again (aging keeps swapping them, every
    // 10 minutes for each): 304 until then, 200 after.
    t.at(9 * MIN - 1_000);
    expect((await poll(w, after.res.headers.etag)).res.status).toBe(304);
    t.at(9 * MIN + 1_000);
    const back = await poll(w, after.res.headers.etag);
    expect(back.res.status).toBe(200);
    expect(back.res.body.queues[0].next).toEqual([urgent.code, old.code]);
  });

  it('the business day turning over (no write) gives 200 with the new businessDay', async () => {
    const t = clock();
    // In UTC, the business day starts at the next full hour after the clock's start.
    const resetHour = (new Date(t.start).getUTCHours() + 1) % 24;
    const w = await world({ timezone: 'UTC', resetHour });
    await issue(w, 'G');
    t.at(INDEX_SETTLE_MS + 1_000);
    const before = await poll(w);
    const untilReset = Math.ceil((t.start + 1) / (60 * MIN)) * 60 * MIN - t.start;
    t.at(untilReset - 1_000);
    expect((await poll(w, before.res.headers.etag)).res.status).toBe(304);
    t.at(untilReset + 1_000);
    const after = await poll(w, before.res.headers.etag);
    expect(after.res.status).toBe(200);
    expect(after.res.body.businessDay).not.toBe(before.res.body.businessDay);
  });

  it('a board read while the waiting index lagged is re-read once the index has settled (no 304 for stale `next`)', async () => {
    const t = clock();
    const w = await world();
    const lag = lagIndex({ index: 'waiting', lagMs: 3_000 });
    try {
      t.at(0);
      const ticket = await issue(w, 'G');
      t.at(1_000);
      const early = await poll(w);
      // The counts know the ticket; the index does not show it yet.
      expect(early.res.body.queues[0]).toMatchObject({ waiting: 1, next: [] });
      expect(lag.injected()).toBe(1);
      // Within the settle time the tag may stand…
      t.at(5_000);
      expect((await poll(w, early.res.headers.etag)).res.status).toBe(304);
      // …after it, the board is read again and now shows the ticket.
      t.at(INDEX_SETTLE_MS + 1_000);
      const settled = await poll(w, early.res.headers.etag);
      expect(settled.res.status).toBe(200);
      expect(settled.res.body.queues[0]).toMatchObject({ waiting: 1, next: [ticket.code] });
      // And from then on it is an idle board: 304 at one request.
      t.at(2 * MIN);
      const idle = await poll(w, settled.res.headers.etag);
      expect(idle.res.status).toBe(304);
      expect(idle.requests).toBe(1);
    } finally {
      lag.remove();
    }
  });
});

describe.concurrent('board', () => {
  it('{ branchId, businessDay, queues: [{ id, name, prefix, waiting, estimatedWaitSeconds, next }], counters, recentlyCalled } with ETag / 304', async () => {
    const f = await fixture({
      queues: { A: { priority: 'General' }, E: { priority: 'General' } },
      counters: { D: { queues: ['A'] }, Idle: { queues: ['A'] } },
    });
    const codes = [];
    for (let i = 0; i < 7; i++) codes.push((await inQueue(f, 'A')).ticket.code);
    const called = await next(f, 'D');
    const res = await call('GET', `${b(f)}/board`, { token: agent });
    expectStatus(res, 200);
    expect(Object.keys(res.body).sort()).toEqual([
      'branchId',
      'businessDay',
      'counters',
      'queues',
      'recentlyCalled',
    ]);
    expect(res.body.branchId).toBe(f.branchId);
    expect(res.body.businessDay).toBe(businessDayOf(new Date(), 'Europe/Madrid', 3));
    const qa = res.body.queues.find((q: any) => q.id === f.queues.A!.id);
    expect(Object.keys(qa).sort()).toEqual([
      'estimatedWaitSeconds',
      'id',
      'name',
      'next',
      'prefix',
      'waiting',
    ]);
    expect(qa).toMatchObject({
      name: 'Queue A',
      prefix: 'A',
      waiting: 6,
      estimatedWaitSeconds: Math.round((6 * 300) / 2),
    });
    expect(qa.next).toEqual(codes.slice(1, 6));
    const qe = res.body.queues.find((q: any) => q.id === f.queues.E!.id);
    expect(qe).toMatchObject({ waiting: 0, estimatedWaitSeconds: null, next: [] });
    const d = res.body.counters.find((c: any) => c.id === f.counters.D);
    expect(d).toEqual({
      id: f.counters.D,
      name: 'D',
      current: { code: codes[0], status: 'called', calledAt: called.body.ticket.calledAt },
    });
    expect(res.body.counters.find((c: any) => c.id === f.counters.Idle).current).toBeNull();
    expect(res.body.recentlyCalled).toEqual([
      { code: codes[0], counterName: 'D', calledAt: called.body.ticket.calledAt },
    ]);

    const etag = res.headers.etag!;
    expect(etag).toBeTruthy();
    const same = await call('GET', `${b(f)}/board`, { token: agent, headers: { 'if-none-match': etag } });
    expect(same.status).toBe(304);
    expect(same.text ?? '').toBe('');
    await inQueue(f, 'A');
    const changed = await call('GET', `${b(f)}/board`, { token: agent, headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('recentlyCalled holds the last 10 calls, newest first', async () => {
    const f = await fixture({ counters: { D: { queues: ['G'] } } });
    for (let i = 0; i < 12; i++) await inQueue(f, 'G');
    for (let i = 0; i < 12; i++) {
      const r = await next(f, 'D');
      await act(f, r.body.ticket.id, 'complete');
    }
    const res = await call('GET', `${b(f)}/board`, { token: agent });
    expect(res.body.recentlyCalled.map((r: any) => r.code)).toEqual(
      Array.from({ length: 10 }, (_, i) => `G-${String(12 - i).padStart(3, '0')}`),
    );
  });
});

describe.concurrent('public status', () => {
  const ip = () =>
    `10.${(Math.random() * 250) | 0}.${(Math.random() * 250) | 0}.${(Math.random() * 250) | 0}`;
  const KEYS = [
    'branchName',
    'branding',
    'calledAt',
    'code',
    'counterName',
    'estimatedWaitSeconds',
    'feedback',
    'language',
    'position',
    'queueName',
    'status',
    'timezone',
  ];

  it('GET → { code, status, queueName, position, estimatedWaitSeconds, counterName, calledAt, branchName, language, timezone, branding }; unknown → 404', async () => {
    const f = await fixture({ counters: { D: { queues: ['G'] } } });
    const t1 = await inQueue(f, 'G');
    const t2 = await inQueue(f, 'G');
    const res = await call('GET', `/v1/public/tickets/${t2.ticket.publicToken}`, { sourceIp: ip() });
    expectStatus(res, 200);
    expect(Object.keys(res.body).sort()).toEqual(KEYS);
    expect(res.body).toEqual({
      code: t2.ticket.code,
      status: 'waiting',
      queueName: 'Queue G',
      position: 2,
      estimatedWaitSeconds: 300,
      counterName: null,
      calledAt: null,
      branchName: 'Test branch',
      language: 'en',
      timezone: 'Europe/Madrid',
      branding: { displayName: null, accentColor: null, logoUrl: null },
      feedback: 'closed',
    });
    const called = await next(f, 'D');
    const now = await call('GET', `/v1/public/tickets/${t1.ticket.publicToken}`, { sourceIp: ip() });
    expect(now.body).toMatchObject({
      status: 'called',
      counterName: 'D',
      calledAt: called.body.ticket.calledAt,
      position: null,
    });
    // A well-formed token that matches no ticket.
    const fake = `${t1.ticket.publicToken.slice(0, 40)}${'A'.repeat(24)}`;
    expectStatus(await call('GET', `/v1/public/tickets/${fake}`, { sourceIp: ip() }), 404);
    expectStatus(await call('GET', `/v1/public/tickets/${'B'.repeat(64)}`, { sourceIp: ip() }), 404);
  });

  it('DELETE cancels a waiting ticket → 200 with the same shape; not waiting → 409', async () => {
    const f = await fixture();
    const t = await inQueue(f, 'G');
    const res = await call('DELETE', `/v1/public/tickets/${t.ticket.publicToken}`, { sourceIp: ip() });
    expectStatus(res, 200);
    expect(Object.keys(res.body).sort()).toEqual(KEYS);
    expect(res.body).toMatchObject({ code: t.ticket.code, status: 'cancelled', position: null });
    expectStatus(await call('DELETE', `/v1/public/tickets/${t.ticket.publicToken}`, { sourceIp: ip() }), 409);
    expect((await getTicket(f, t.ticket.id)).ticket.status).toBe('cancelled');
  });

  it('rate limited per client IP: at least 60 a minute, then 429 with Retry-After', async () => {
    const f = await fixture();
    const t = await inQueue(f, 'G');
    const client = ip();
    const path = `/v1/public/tickets/${t.ticket.publicToken}`;
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await call('GET', path, { sourceIp: client })).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    let limited: ApiResponse | undefined;
    for (let i = 0; i < 200 && !limited; i++) {
      const res = await call('GET', path, { sourceIp: client });
      if (res.status === 429) limited = res;
    }
    expect(limited, 'no 429 within 260 requests').toBeDefined();
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited!.headers['content-type']).toBe('application/problem+json');
    // Another client is not affected.
    expectStatus(await call('GET', path, { sourceIp: ip() }), 200);
  });
});
