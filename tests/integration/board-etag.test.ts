import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { INDEX_SETTLE_MS } from '#core/ports/tickets';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { lagIndex } from '#tests/support/fault-injection';
import { mintToken } from '#tests/support/tokens';

/**
 * The board's ETag follows the board's content, not the clock: an idle board keeps its tag
 * (304 for the cost of the setup read) across minutes, while whatever changes what it shows —
 * a write, aging reordering `next`, the business day, an index that had not caught up — gives
 * a 200 with a new tag. The wall clock is faked (Date only: timers and the SDK keep running).
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
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
