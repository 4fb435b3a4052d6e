import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { businessDayOf } from '#core/domain/business-day';
import { builtInRole } from '#core/domain/permissions';
import { callNext } from '#core/usecases/tickets/call-next';
import type { TicketContext } from '#core/usecases/tickets/context';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { applyTicketAction } from '#core/usecases/tickets/ticket-actions';
import { ticketContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/** SPEC §7 (day close and reports), statement by statement, through the real handlers. */

let env: TestEnv;
const tenantId = ulid();
const agentId = ulid();
let agent: string;
let manager: string;
let admin: string;
beforeAll(async () => {
  env = await createTestEnv();
  agent = await mintToken(env.signingKey, { tenantId, userId: agentId, role: 'agent' });
  manager = await mintToken(env.signingKey, { tenantId, role: 'manager' });
  admin = await mintToken(env.signingKey, { tenantId, role: 'admin' });
});

const STATS = [
  'issued',
  'served',
  'noShow',
  'cancelled',
  'expired',
  'avgWaitSeconds',
  'p90WaitSeconds',
  'maxWaitSeconds',
  'avgServiceSeconds',
  'withinTargetPct',
];
const b = (f: BranchFixture) => `/v1/branches/${f.branchId}`;
const today = () => businessDayOf(new Date(), 'Europe/Madrid', 3);

async function issue(f: BranchFixture, prefix: string) {
  const res = await call('POST', `${b(f)}/tickets`, {
    token: agent,
    body: { queueId: f.queues[prefix]!.id },
  });
  expect(res.status, res.text).toBe(201);
  return res.body.ticket;
}
const next = (f: BranchFixture, counter: string) =>
  call('POST', `${b(f)}/counters/${f.counters[counter]}/call-next`, { token: agent });
const act = (f: BranchFixture, id: string, action: string) =>
  call('POST', `${b(f)}/tickets/${id}/${action}`, { token: agent });

describe('SPEC §7 close-day', () => {
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
    const res = await call('POST', `${b(f)}/close-day`, { token: manager });
    expect(res.status).toBe(200);
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

describe('SPEC §7 reports', () => {
  let f: BranchFixture;
  beforeAll(async () => {
    f = await createBranchFixture({
      tenantId,
      priorities: { Fast: { rank: 1, targetWaitMinutes: 5 }, Slow: { rank: 4 } },
      queues: { A: { priority: 'Fast' }, B: { priority: 'Slow' } },
      counters: { D1: { queues: ['A'], allowStealing: false }, D2: { queues: ['B'], allowStealing: false } },
    });
    const a1 = await issue(f, 'A');
    const a2 = await issue(f, 'A');
    const b1 = await issue(f, 'B');
    const b2 = await issue(f, 'B');
    await issue(f, 'B');
    expect((await next(f, 'D1')).body.ticket.id).toBe(a1.id);
    await act(f, a1.id, 'start');
    await act(f, a1.id, 'complete');
    expect((await next(f, 'D1')).body.ticket.id).toBe(a2.id);
    await act(f, a2.id, 'no-show');
    expect((await next(f, 'D2')).body.ticket.id).toBe(b1.id);
    await act(f, b1.id, 'complete');
    await act(f, b2.id, 'cancel');
    await call('POST', `${b(f)}/close-day`, { token: manager }); // b3 expires
  });

  const report = (query: Record<string, string>, token = manager) =>
    call('GET', `${b(f)}/report`, { token, query: { from: today(), to: today(), ...query } });

  it('{ branchId, from, to, groupBy, totals: Stats, groups: [{ key, label, ...Stats }] }, default groupBy=day, json', async () => {
    const res = await report({});
    expect(res.status, res.text).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['branchId', 'from', 'groupBy', 'groups', 'to', 'totals']);
    expect(res.body).toMatchObject({ branchId: f.branchId, from: today(), to: today(), groupBy: 'day' });
    expect(Object.keys(res.body.totals).sort()).toEqual([...STATS].sort());
    expect(res.body.totals).toMatchObject({ issued: 5, served: 2, noShow: 1, cancelled: 1, expired: 1 });
    for (const f of ['avgWaitSeconds', 'p90WaitSeconds', 'maxWaitSeconds', 'avgServiceSeconds'])
      expect(res.body.totals[f], f).toEqual(expect.any(Number));
    expect(res.body.totals.withinTargetPct).toBe(100);
    expect(res.body.groups).toHaveLength(1);
    expect(Object.keys(res.body.groups[0]).sort()).toEqual(['key', 'label', ...STATS].sort());
    expect(res.body.groups[0].key).toBe(today());
  });

  it('group keys: queue/priority/counter/agent → the id with the name as label; hour → 00–23', async () => {
    const byQueue = (await report({ groupBy: 'queue' })).body;
    expect(byQueue.groupBy).toBe('queue');
    expect(byQueue.groups.map((g: any) => [g.key, g.label]).sort()).toEqual(
      [
        [f.queues.A!.id, 'Queue A'],
        [f.queues.B!.id, 'Queue B'],
      ].sort(),
    );
    const qa = byQueue.groups.find((g: any) => g.key === f.queues.A!.id);
    expect(qa).toMatchObject({ issued: 2, served: 1, noShow: 1, cancelled: 0, expired: 0 });
    const byPriority = (await report({ groupBy: 'priority' })).body;
    expect(byPriority.groups.map((g: any) => [g.key, g.label]).sort()).toEqual(
      [
        [f.priorities.Fast!.id, 'Fast'],
        [f.priorities.Slow!.id, 'Slow'],
      ].sort(),
    );
    const byCounter = (await report({ groupBy: 'counter' })).body;
    expect(byCounter.groups.map((g: any) => [g.key, g.label]).sort()).toEqual(
      [
        [f.counters.D1, 'D1'],
        [f.counters.D2, 'D2'],
      ].sort(),
    );
    const byAgent = (await report({ groupBy: 'agent' })).body;
    expect(byAgent.groups.map((g: any) => g.key)).toEqual([agentId]);
    const byHour = (await report({ groupBy: 'hour' })).body;
    for (const g of byHour.groups) expect(g.key).toMatch(/^(0\d|1\d|2[0-3])$/);
    expect(byHour.groups.reduce((s: number, g: any) => s + g.issued, 0)).toBe(5);
  });

  it('service covers done tickets; a figure with no tickets behind it is null', async () => {
    const empty = await report({ from: '2020-01-01', to: '2020-01-31' });
    expect(empty.status).toBe(200);
    expect(empty.body.groups).toEqual([]);
    expect(empty.body.totals).toEqual({
      issued: 0,
      served: 0,
      noShow: 0,
      cancelled: 0,
      expired: 0,
      avgWaitSeconds: null,
      p90WaitSeconds: null,
      maxWaitSeconds: null,
      avgServiceSeconds: null,
      withinTargetPct: null,
    });
  });

  it('CSV: text/csv, the SPEC header, one row per group, then a total row', async () => {
    const res = await report({ groupBy: 'queue', format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.text!.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'key,label,issued,served,noShow,cancelled,expired,avgWaitSeconds,p90WaitSeconds,maxWaitSeconds,avgServiceSeconds,withinTargetPct',
    );
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)!.split(',')[0]).toBe('total');
    expect(lines.at(-1)!.split(',')[2]).toBe('5');
  });

  it('range: from ≤ to, at most 366 days counted inclusively, real dates; 400 otherwise', async () => {
    expect((await report({ from: '2025-01-01', to: '2026-01-01' })).status).toBe(200); // 366 days
    expect((await report({ from: '2024-01-01', to: '2024-12-31' })).status).toBe(200); // 366 (leap year)
    expect((await report({ from: '2024-01-01', to: '2025-01-01' })).status).toBe(400); // 367
    expect((await report({ from: '2026-01-02', to: '2026-01-01' })).status).toBe(400);
    expect((await report({ from: '2026-02-30', to: '2026-03-01' })).status).toBe(400);
    expect((await call('GET', `${b(f)}/report`, { token: manager, query: { to: today() } })).status).toBe(
      400,
    );
    expect((await report({ groupBy: 'week' })).status).toBe(400);
    expect((await report({ format: 'xml' })).status).toBe(400);
    // reports:read is needed: an agent lacks it.
    expect((await report({}, agent)).status).toBe(403);
  });

  it('GET /v1/reports/summary → { from, to, totals, branches: [{ branchId, name, ...Stats }] }', async () => {
    const res = await call('GET', '/v1/reports/summary', {
      token: manager,
      query: { from: today(), to: today() },
    });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['branches', 'from', 'to', 'totals']);
    expect(Object.keys(res.body.totals).sort()).toEqual([...STATS].sort());
    const mine = res.body.branches.find((x: any) => x.branchId === f.branchId);
    expect(Object.keys(mine).sort()).toEqual(['branchId', 'name', ...STATS].sort());
    expect(mine).toMatchObject({ name: 'Test branch', issued: 5, served: 2 });
    const sum = res.body.branches.reduce((s: number, x: any) => s + x.issued, 0);
    expect(res.body.totals.issued).toBe(sum);
    expect(
      (
        await call('GET', '/v1/reports/summary', {
          token: manager,
          query: { from: '2024-01-01', to: '2025-01-01' },
        })
      ).status,
    ).toBe(400);
  });
});

describe('SPEC §7 report figures, with a clock', () => {
  /**
   * 2026-03-02, UTC, resetHour 3. Queue A (target 5 min), queue B (target 15 min):
   * t1 A issued 10:00:00, called 10:02:00 (wait 120), started 10:03, done 10:08 (service 300)
   * t2 A issued 10:00:10, called 10:10:10 (wait 600), done 10:12:10 unstarted (service 120)
   * t3 A issued 10:01:00, called 10:13:00 (wait 720), no-show 10:14
   * t4 B issued 11:00:00, cancelled 11:05 while waiting (no wait figure)
   */
  let f: BranchFixture;
  const day = '2026-03-02';
  const at = (hms: string) => new Date(`${day}T${hms}.000Z`);
  const ctx = (now: Date): TicketContext =>
    ticketContext({
      actor: {
        tenantId,
        userId: agentId,
        roleId: 'agent',
        permissions: builtInRole('agent')!.permissions,
        branches: ['*'],
      },
      now,
    });

  beforeAll(async () => {
    f = await createBranchFixture({
      tenantId,
      timezone: 'UTC',
      resetHour: 3,
      agingMinutes: 0,
      now: at('09:00:00'),
      priorities: { Fast: { rank: 1, targetWaitMinutes: 5 }, Slow: { rank: 4, targetWaitMinutes: 15 } },
      queues: { A: { priority: 'Fast' }, B: { priority: 'Slow' } },
      counters: { D1: { queues: ['A'], allowStealing: false } },
    });
    const A = { branchId: f.branchId, queueId: f.queues.A!.id };
    const t1 = await enqueue(ctx(at('10:00:00')), A);
    const t2 = await enqueue(ctx(at('10:00:10')), A);
    const t3 = await enqueue(ctx(at('10:01:00')), A);
    const t4 = await enqueue(ctx(at('11:00:00')), { branchId: f.branchId, queueId: f.queues.B!.id });
    expect(
      (await callNext(ctx(at('10:02:00')), { branchId: f.branchId, counterId: f.counters.D1! }))!.id,
    ).toBe(t1.ticket.id);
    await applyTicketAction(ctx(at('10:03:00')), {
      branchId: f.branchId,
      ticketId: t1.ticket.id,
      action: 'start',
    });
    await applyTicketAction(ctx(at('10:08:00')), {
      branchId: f.branchId,
      ticketId: t1.ticket.id,
      action: 'complete',
    });
    expect(
      (await callNext(ctx(at('10:10:10')), { branchId: f.branchId, counterId: f.counters.D1! }))!.id,
    ).toBe(t2.ticket.id);
    await applyTicketAction(ctx(at('10:12:10')), {
      branchId: f.branchId,
      ticketId: t2.ticket.id,
      action: 'complete',
    });
    expect(
      (await callNext(ctx(at('10:13:00')), { branchId: f.branchId, counterId: f.counters.D1! }))!.id,
    ).toBe(t3.ticket.id);
    await applyTicketAction(ctx(at('10:14:00')), {
      branchId: f.branchId,
      ticketId: t3.ticket.id,
      action: 'no-show',
    });
    await applyTicketAction(ctx(at('11:05:00')), {
      branchId: f.branchId,
      ticketId: t4.ticket.id,
      action: 'cancel',
    });
  });

  const report = (query: Record<string, string> = {}) =>
    call('GET', `${b(f)}/report`, { token: manager, query: { from: day, to: day, ...query } });

  it('wait = first calledAt − createdAt over called tickets; service = endedAt − (startedAt or calledAt) over done ones', async () => {
    const res = await report();
    expect(res.status, res.text).toBe(200);
    const expected = {
      issued: 4,
      served: 2,
      noShow: 1,
      cancelled: 1,
      expired: 0,
      avgWaitSeconds: 480,
      maxWaitSeconds: 720,
      avgServiceSeconds: 210,
      withinTargetPct: 33.33,
    };
    expect(res.body.totals).toMatchObject(expected);
    expect(Math.abs(res.body.totals.p90WaitSeconds - 720)).toBeLessThanOrEqual(72);
    expect(res.body.groups).toEqual([{ key: day, label: expect.any(String), ...res.body.totals }]);
  });

  it('groupBy=hour: keys 00–23 of the branch-local hour of issue', async () => {
    const res = await report({ groupBy: 'hour' });
    expect(res.body.groups.map((g: any) => [g.key, g.issued])).toEqual([
      ['10', 3],
      ['11', 1],
    ]);
  });

  it('groupBy=priority and queue split the figures; agent and counter carry the caller', async () => {
    const byPriority = (await report({ groupBy: 'priority' })).body.groups;
    expect(byPriority.find((g: any) => g.key === f.priorities.Fast!.id)).toMatchObject({
      label: 'Fast',
      issued: 3,
      served: 2,
      noShow: 1,
      withinTargetPct: 33.33,
    });
    expect(byPriority.find((g: any) => g.key === f.priorities.Slow!.id)).toMatchObject({
      label: 'Slow',
      issued: 1,
      cancelled: 1,
      avgWaitSeconds: null,
      avgServiceSeconds: null,
      withinTargetPct: null,
    });
    const byAgent = (await report({ groupBy: 'agent' })).body.groups;
    expect(byAgent).toEqual([
      expect.objectContaining({ key: agentId, served: 2, noShow: 1, avgWaitSeconds: 480 }),
    ]);
    const byCounter = (await report({ groupBy: 'counter' })).body.groups;
    expect(byCounter).toEqual([
      expect.objectContaining({ key: f.counters.D1, label: 'D1', avgServiceSeconds: 210 }),
    ]);
  });

  it('the summary totals are those of its branches', async () => {
    const res = await call('GET', '/v1/reports/summary', { token: manager, query: { from: day, to: day } });
    const mine = res.body.branches.find((x: any) => x.branchId === f.branchId);
    expect(mine).toMatchObject({ issued: 4, served: 2, avgWaitSeconds: 480, avgServiceSeconds: 210 });
  });
});
