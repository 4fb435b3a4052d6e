import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { dynamoDayCloseStore } from '#core/adapters/dynamo/day-close-store';
import {
  aggregateDayOf,
  aggregatePartition,
  figuresOf,
  isRollup,
} from '#core/adapters/dynamo/items/aggregate';
import { QUEUE_LIVE_PREFIX } from '#core/adapters/dynamo/items/queue';
import { tenantPartition } from '#core/adapters/dynamo/items/tenant';
import { businessDayOf } from '#core/domain/business-day';
import { mergeAggregates } from '#core/domain/report-stats';
import type { DayCloseStore } from '#core/ports/day-close';
import { closeDay, type DayCloseContext } from '#core/usecases/day-close/close-day';
import type { Budget } from '#core/usecases/day-close/expire-open';
import { closeBranch, nightlyReset } from '#core/usecases/day-close/nightly-reset';
import { callNext } from '#core/usecases/tickets/call-next';
import type { TicketContext } from '#core/usecases/tickets/context';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { applyTicketAction } from '#core/usecases/tickets/ticket-actions';
import { dayCloseContext, ticketContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { emfLinesOf, metricsOf } from '#tests/support/metrics';
import { branchPath, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const HOUR = 3_600_000;
const actorOf = (f: BranchFixture) => ({
  tenantId: f.tenantId,
  userId: '01JD6Z3Q8M5V2X9K4T7R1N0B3C',
  roleId: 'admin',
  permissions: [],
  branches: ['*'],
});
const ctxAt = (f: BranchFixture, now: Date): TicketContext => ticketContext({ actor: actorOf(f), now });
const closeCtx = (now: Date, dayClose: DayCloseStore = dynamoDayCloseStore): DayCloseContext => ({
  ...dayCloseContext({ now }),
  dayClose,
});
const IN_PROCESS = { concurrency: 4, budgetMs: 30_000 };
const nightly = async (at: Date) => (await nightlyReset(closeCtx(at), IN_PROCESS)).closed;

/** Everything stored for one tenant (a test table is small enough to scan). */
async function tenantState(tenantId: string) {
  const items: Record<string, any>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({ TableName: tableName(), ExclusiveStartKey: startKey }),
    );
    items.push(...(page.Items ?? []).filter((i) => String(i.pk).startsWith(tenantPartition(tenantId))));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** State with ids and instants that differ between two identical runs taken out. */
async function comparableState(f: BranchFixture) {
  const items = await tenantState(f.tenantId);
  const tickets = items
    .filter((i) => i.type === 'ticket')
    .map((t) => `${t.code} ${t.businessDay} ${t.status} ${t.openPk ? 'open' : ''}`)
    .sort();
  const aggregates = items.filter((i) => i.pk === aggregatePartition(f.tenantId, f.branchId));
  const byDay = new Map<string, Record<string, unknown>[]>();
  for (const a of aggregates) {
    const day = aggregateDayOf(a.sk);
    byDay.set(day, [...(byDay.get(day) ?? []), a]);
  }
  const figures = Object.fromEntries(
    [...byDay].map(([day, list]) => [
      day,
      Object.fromEntries(
        Object.entries(mergeAggregates(list.map(figuresOf))).filter(([name]) => name.endsWith('|t')),
      ),
    ]),
  );
  const branch = items.find((i) => i.type === 'branch')!;
  const live = items
    .filter((i) => String(i.sk).startsWith(QUEUE_LIVE_PREFIX))
    .reduce(
      (sum, i) =>
        sum + Object.entries(i).reduce((s, [k, v]) => s + (/^w\d\d$/.test(k) ? (v as number) : 0), 0),
      0,
    );
  return { tickets, figures, lastClosedDay: branch.lastClosedDay, dueSk: branch.dueSk.slice(0, 24), live };
}

/** A day of activity: 5 tickets — served, no-show, called, serving, waiting. */
async function activity(f: BranchFixture, start: Date) {
  let t = start.getTime();
  const at = () => {
    t += 60_000;
    return new Date(t);
  };
  const [c1, c2] = Object.values(f.counters) as [string, string];
  for (let i = 0; i < 5; i++)
    await enqueue(ctxAt(f, at()), { branchId: f.branchId, queueId: f.queues.G!.id });
  const a = await callNext(ctxAt(f, at()), { branchId: f.branchId, counterId: c1 });
  await applyTicketAction(ctxAt(f, at()), { branchId: f.branchId, ticketId: a!.id, action: 'complete' });
  const b = await callNext(ctxAt(f, at()), { branchId: f.branchId, counterId: c1 });
  await applyTicketAction(ctxAt(f, at()), { branchId: f.branchId, ticketId: b!.id, action: 'no-show' });
  const c = await callNext(ctxAt(f, at()), { branchId: f.branchId, counterId: c1 });
  const d = await callNext(ctxAt(f, at()), { branchId: f.branchId, counterId: c2 });
  await applyTicketAction(ctxAt(f, at()), { branchId: f.branchId, ticketId: d!.id, action: 'start' });
  return { called: c!.id, serving: d!.id };
}

const twoCounters = { C1: { queues: ['G'] }, C2: { queues: ['G'] } };

describe('close-day over HTTP', () => {
  it('expires waiting and called tickets, finishes serving ones, restarts numbering; a second close expires 0', async () => {
    const f = await createBranchFixture({ counters: twoCounters });
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'manager' });
    const base = `/v1/branches/${f.branchId}`;
    const { called, serving } = await activity(f, new Date());
    const closed = await call('POST', `${base}/close-day`, { token });
    expect(closed.status).toBe(200);
    expect(closed.body.expired).toBe(2);
    expect(closed.body.businessDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(closed.body.nextBusinessDay).toBe(closed.body.businessDay);
    const get = (id: string) => call('GET', `${base}/tickets/${id}`, { token });
    expect((await get(called)).body.ticket.status).toBe('expired');
    expect((await get(serving)).body.ticket.status).toBe('done');
    const board = await call('GET', `${base}/board`, { token });
    expect(board.body.queues[0].waiting).toBe(0);
    expect(board.body.counters.every((c: any) => c.current === null)).toBe(true);

    const again = await call('POST', `${base}/close-day`, { token });
    expect(again.body.expired).toBe(0);
    const next = await call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.G!.id } });
    expect(next.body.ticket).toMatchObject({
      number: 1,
      code: 'G-001',
      businessDay: closed.body.businessDay,
    });
    // The lines of the closed day ended with it: positions count the new day's tickets only.
    expect(next.body.position).toBe(1);
    const second = await call('POST', `${base}/tickets`, { token, body: { queueId: f.queues.G!.id } });
    expect(second.body).toMatchObject({ ticket: { code: 'G-002' }, position: 2 });
    expect((await get(second.body.ticket.id)).body.position).toBe(2);
    const status = await call('GET', `/v1/public/tickets/${second.body.ticket.publicToken}`);
    expect(status.body.position).toBe(2);
  });
});

/** A budget of `n` tickets: a run ends at most that many, then stops. */
const ticketsBudget = (n: number): Budget => {
  let asked = 0;
  return { exhausted: () => ++asked > n };
};

const waiting = async (f: BranchFixture, n: number, now = new Date()) => {
  for (let i = 0; i < n; i++) await enqueue(ctxAt(f, now), { branchId: f.branchId, queueId: f.queues.G!.id });
};

describe('a close with more tickets than one run ends', () => {
  it('is left pending and continued run after run; numbering restarts only when it ends', async () => {
    const f = await createBranchFixture({});
    const now = new Date();
    await waiting(f, 30, now);
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'display' });
    const progress = async () => (await call('GET', `/v1/branches/${f.branchId}/close-day`, { token })).body;
    expect(await progress()).toMatchObject({ status: 'none', businessDay: null, expired: 0 });

    const first = await closeDay(dayCloseContext({ actor: actorOf(f), now }), {
      branchId: f.branchId,
      budget: ticketsBudget(7),
    });
    expect(first).toMatchObject({ done: false, progress: { status: 'closing', expired: 7, closedAt: null } });
    expect(await progress()).toMatchObject({ status: 'closing', expired: 7 });
    // Until the close ends, numbering goes on: no code can be held twice.
    const meanwhile = await enqueue(ctxAt(f, now), { branchId: f.branchId, queueId: f.queues.G!.id });
    expect(meanwhile.ticket.code).toBe('G-031');

    // The continuation (the queue's subscriber, or the background run locally), 10 tickets a run.
    const runs: string[] = [];
    for (;;) {
      const run = await closeBranch(closeCtx(new Date()), {
        tenantId: f.tenantId,
        branchId: f.branchId,
        budget: ticketsBudget(10),
      });
      runs.push(run.status);
      if (run.status === 'done') break;
      expect(run.progressed).toBe(true);
    }
    expect(runs).toEqual(['more', 'more', 'done']);
    expect(await progress()).toMatchObject({
      status: 'closed',
      expired: 31,
      businessDay: first.done ? undefined : first.progress.businessDay,
      nextBusinessDay: first.done ? undefined : first.progress.businessDay,
    });
    const after = await enqueue(ctxAt(f, new Date()), { branchId: f.branchId, queueId: f.queues.G!.id });
    expect(after.ticket.code).toBe('G-001');
  });
});

describe('close-day over HTTP, past its time budget', () => {
  const budget = process.env.CLOSE_DAY_BUDGET_MS;
  afterEach(() => {
    if (budget === undefined) delete process.env.CLOSE_DAY_BUDGET_MS;
    else process.env.CLOSE_DAY_BUDGET_MS = budget;
  });

  it('answers 202 with Location, finishes in the background, and reports progress; Idempotency-Key replays the 202', async () => {
    process.env.CLOSE_DAY_BUDGET_MS = '0';
    const f = await createBranchFixture({});
    await waiting(f, 5);
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'manager' });
    const url = `/v1/branches/${f.branchId}/close-day`;
    const headers = { 'idempotency-key': 'close-1' };
    const accepted = await call('POST', url, { token, headers });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.location).toBe(url);
    expect(accepted.body).toMatchObject({ status: 'closing', expired: 0, closedAt: null });
    const replay = await call('POST', url, { token, headers });
    expect(replay.status).toBe(202);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(accepted.body);

    let progress = accepted.body;
    for (let i = 0; i < 100 && progress.status !== 'closed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      progress = (await call('GET', url, { token })).body;
    }
    expect(progress).toEqual({
      status: 'closed',
      businessDay: accepted.body.businessDay,
      expired: 5,
      startedAt: accepted.body.startedAt,
      closedAt: expect.any(String),
      nextBusinessDay: accepted.body.businessDay,
    });
    const next = await call('POST', `/v1/branches/${f.branchId}/tickets`, {
      token,
      body: { queueId: f.queues.G!.id },
    });
    expect(next.body.ticket.code).toBe('G-001');
  });

  it("GET close-day: 404 for another tenant's branch, 403 outside the branch scope", async () => {
    const f = await createBranchFixture({});
    const url = `/v1/branches/${f.branchId}/close-day`;
    const stranger = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
    expect((await call('GET', url, { token: stranger })).status).toBe(404);
    const elsewhere = await mintToken(env.signingKey, {
      tenantId: f.tenantId,
      role: 'manager',
      branches: [ulid()],
    });
    expect((await call('GET', url, { token: elsewhere })).status).toBe(403);
  });
});

describe('the nightly reset', () => {
  // Friday 2026-11-20, Madrid (UTC+1): the business day ends Saturday 03:00 local = 02:00Z.
  const day = new Date('2026-11-20T09:00:00Z');
  const dueRun = new Date('2026-11-21T02:00:00Z');

  it('closes the due branch once: a second run at the same instant changes nothing', async () => {
    const f = await createBranchFixture({ counters: twoCounters, now: day });
    await activity(f, day);
    expect((await nightly(new Date(dueRun.getTime() - HOUR))).some((b) => b.branchId === f.branchId)).toBe(
      false,
    );
    const first = (await nightly(dueRun)).find((b) => b.branchId === f.branchId);
    expect(first).toMatchObject({ closedThrough: '2026-11-20', expired: 2, finished: 1, rolledUpDays: 1 });
    const after = await tenantState(f.tenantId);
    expect((await nightly(dueRun)).some((b) => b.branchId === f.branchId)).toBe(false);
    expect(await tenantState(f.tenantId)).toEqual(after);
    const state = await comparableState(f);
    expect(state.lastClosedDay).toBe('2026-11-20');
    expect(state.live).toBe(0);
    expect(state.figures['2026-11-20']).toMatchObject({
      'issued|t': 5,
      'served|t': 2,
      'noShow|t': 1,
      'expired|t': 2,
    });
    // Aggregates of the closed day are one rollup now.
    const aggregates = after.filter((i) => i.pk === aggregatePartition(f.tenantId, f.branchId));
    expect(aggregates.every((i) => isRollup(i.sk))).toBe(true);
  });

  it('a run killed part-way and run again ends like one clean run', async () => {
    const clean = await createBranchFixture({ counters: twoCounters, now: day });
    const crashed = await createBranchFixture({ counters: twoCounters, now: day });
    await activity(clean, day);
    await activity(crashed, day);
    await nightlyFor(clean, dueRun);

    // Kill the run at its third transaction: some tickets expired, the rest and the rollup not.
    let transactions = 0;
    const stack = dynamo().middlewareStack;
    stack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && ++transactions === 3) {
          throw Object.assign(new Error('Task timed out'), { name: 'TimeoutError' });
        }
        return next(args);
      },
      { step: 'initialize', name: 'crash-once' },
    );
    await expect(nightlyFor(crashed, dueRun)).rejects.toThrow('Task timed out');
    stack.remove('crash-once');
    const partial = await comparableState(crashed);
    expect(partial.lastClosedDay).toBeNull();
    await nightlyFor(crashed, dueRun);
    expect(await comparableState(crashed)).toEqual(await comparableState(clean));
  });

  it('each branch closes at its own local resetHour (Bogota, Madrid across DST, Kolkata)', async () => {
    // Saturday 2026-03-28; Madrid springs forward on Sunday 29 at 02:00 → 03:00.
    const created = new Date('2026-03-28T12:00:00Z');
    const zones = ['America/Bogota', 'Europe/Madrid', 'Asia/Kolkata'];
    const branches = await Promise.all(
      zones.map((timezone) => createBranchFixture({ timezone, resetHour: 3, now: created })),
    );
    const closedAt: Record<string, string> = {};
    for (let t = created.getTime(); t <= Date.parse('2026-03-29T12:00:00Z'); t += HOUR) {
      const closed = await nightly(new Date(t));
      for (const b of closed) {
        const zone = zones[branches.findIndex((f) => f.branchId === b.branchId)];
        if (zone) closedAt[zone] = new Date(t).toISOString();
      }
    }
    expect(closedAt).toEqual({
      'Asia/Kolkata': '2026-03-28T22:00:00.000Z', // 03:00 IST = 21:30Z; first hourly run after
      // Local midnight of the 29th is 23:00Z; plus 3 h = 02:00Z (04:00 CEST: the clocks jumped).
      'Europe/Madrid': '2026-03-29T02:00:00.000Z',
      'America/Bogota': '2026-03-29T08:00:00.000Z', // 03:00 COT = 08:00Z
    });
  });
});

/** Runs the nightly job but only lets it see one branch (others in the table stay untouched). */
async function nightlyFor(f: BranchFixture, at: Date) {
  const store = {
    ...dynamoDayCloseStore,
    dueBranches: async (when: Date) =>
      (await dynamoDayCloseStore.dueBranches(when)).filter((b) => b.branchId === f.branchId),
  };
  const { closed, failed } = await nightlyReset(closeCtx(at, store), IN_PROCESS);
  if (failed.length > 0) throw failed[0]!.error;
  return closed;
}

describe('close-day: shapes and rules', () => {
  const tenantId = ulid();
  let agent: string;
  let manager: string;
  let admin: string;
  beforeAll(async () => {
    agent = await mintToken(env.signingKey, { tenantId, role: 'agent' });
    manager = await mintToken(env.signingKey, { tenantId, role: 'manager' });
    admin = await mintToken(env.signingKey, { tenantId, role: 'admin' });
  });
  const { inQueue, next, act } = ticketCalls(() => agent);
  const issue = async (f: BranchFixture, prefix: string) => (await inQueue(f, prefix)).ticket;
  const b = branchPath;
  const today = () => businessDayOf(new Date(), 'Europe/Madrid', 3);

  it('needs branches:update (agent 403, manager 200)', async () => {
    const f = await createBranchFixture({ tenantId });
    expect((await call('POST', `${b(f)}/close-day`, { token: agent })).status).toBe(403);
    const kiosk = await mintToken(env.signingKey, { tenantId, role: 'kiosk' });
    expect((await call('POST', `${b(f)}/close-day`, { token: kiosk })).status).toBe(403);
    expect((await call('POST', `${b(f)}/close-day`, { token: manager })).status).toBe(200);
  });

  it('→ 200 { businessDay, expired, nextBusinessDay }: waiting and called expire, serving ones are done', async () => {
    const f = await createBranchFixture({
      tenantId,
      counters: { D1: { queues: ['G'] }, D2: { queues: ['G'] }, D3: { queues: ['G'] } },
    });
    const served = await issue(f, 'G');
    const called = await issue(f, 'G');
    const finished = await issue(f, 'G');
    const waiting = await issue(f, 'G');
    await next(f, 'D1');
    await act(f, served.id, 'start');
    await next(f, 'D2');
    await next(f, 'D3');
    await act(f, finished.id, 'complete');
    const { result: res, lines } = await emfLinesOf(() =>
      call('POST', `${b(f)}/close-day`, { token: manager }),
    );
    expect(res.status).toBe(200);
    expect(lines.map(metricsOf)).toEqual([{ DayCloseDone: { unit: 'Count', value: 1 } }]);
    expect(res.body).toEqual({
      businessDay: today(),
      expired: 2,
      nextBusinessDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const status = async (id: string) =>
      (await call('GET', `${b(f)}/tickets/${id}`, { token: agent })).body.ticket.status;
    expect(await status(served.id)).toBe('done');
    expect(await status(called.id)).toBe('expired');
    expect(await status(waiting.id)).toBe('expired');
    expect(await status(finished.id)).toBe('done');
    // Counters are free again, numbering restarts at 1.
    for (const c of ['D1', 'D2', 'D3']) {
      const counter = await call('GET', `${b(f)}/counters/${f.counters[c]}`, { token: admin });
      expect(counter.body.currentTicketId, c).toBeNull();
    }
    expect((await issue(f, 'G')).number).toBe(1);
    // Closing again expires nothing more but the new ticket.
    const again = await call('POST', `${b(f)}/close-day`, { token: manager });
    expect(again.body.expired).toBe(1);
  });
});
