import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { branchKey } from '#core/adapters/dynamo/items/branch';
import { queueKey } from '#core/adapters/dynamo/items/queue';
import { userKey } from '#core/adapters/dynamo/items/user';
import type { Actor } from '#core/domain/actor';
import { businessDayOf, zonedInstant } from '#core/domain/business-day';
import { builtInRole } from '#core/domain/permissions';
import { callNext } from '#core/usecases/tickets/call-next';
import type { TicketContext } from '#core/usecases/tickets/context';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { publicFeedback } from '#core/usecases/tickets/public-status';
import { applyTicketAction } from '#core/usecases/tickets/ticket-actions';
import { publicTicketContext, ticketContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { NO_TICKETS_STATS, REPORT_CSV_HEADER, STAT_FIELDS } from '#tests/support/rules';
import { agentContextAt, branchPath, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * The report routes through the real middy chain: figures of a small, hand-checked scenario
 * (driven through the ticket use cases with a controlled clock), labels (renamed and
 * soft-deleted entities, agents with and without a user item), CSV, and every 4xx in the order
 * of checks: 403 permission → 400 validation → 404 branch → 403 scope.
 */

const TZ = 'Europe/Madrid';
const D1 = '2026-03-02';
const D2 = '2026-03-03';
const at = (day: string, hh: number, mm: number, ss = 0) =>
  new Date(zonedInstant(day, hh, TZ).getTime() + (mm * 60 + ss) * 1000);

let env: TestEnv;
let f: BranchFixture;
let second: BranchFixture;
let admin: string;
let manager: string;
const U1 = ulid();
const U2 = ulid();
const ids: Record<string, string> = {};

const actor = (userId: string): Actor => ({
  tenantId: f.tenantId,
  userId,
  roleId: 'agent',
  permissions: builtInRole('agent')!.permissions,
  branches: ['*'],
});
const ctx = (now: Date, userId = U1, fixture = f): TicketContext =>
  ticketContext({
    actor: { ...actor(userId), tenantId: fixture.tenantId },
    now,
  });

const update = (Key: Record<string, string>, set: Record<string, unknown>) =>
  dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key,
      UpdateExpression: `SET ${Object.keys(set)
        .map((_k, i) => `#k${i} = :v${i}`)
        .join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(Object.keys(set).map((k, i) => [`#k${i}`, k])),
      ExpressionAttributeValues: Object.fromEntries(Object.values(set).map((v, i) => [`:v${i}`, v])),
    }),
  );

beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({
    timezone: TZ,
    resetHour: 3,
    priorities: { Preferential: { rank: 1, targetWaitMinutes: 10 }, General: { rank: 3 } },
    queues: { A: { priority: 'Preferential' }, B: { priority: 'General' } },
    counters: { 'Desk 1': { queues: ['A', 'B'] }, 'Desk 2': { queues: ['B'] } },
  });
  const A = f.queues.A!.id;
  const B = f.queues.B!.id;
  const C1 = f.counters['Desk 1']!;
  const C2 = f.counters['Desk 2']!;

  // D1 09:10 t1 → A, called 09:12 at Desk 1 by U1 (wait 120 s, target 10 min: within), done 09:20 (service 480 s),
  // rated 4 at 09:25.
  const t1 = (await enqueue(ctx(at(D1, 9, 10)), { branchId: f.branchId, queueId: A })).ticket;
  ids.t1 = t1.id;
  expect((await callNext(ctx(at(D1, 9, 12)), { branchId: f.branchId, counterId: C1 }))!.id).toBe(ids.t1);
  await applyTicketAction(ctx(at(D1, 9, 20)), {
    branchId: f.branchId,
    ticketId: ids.t1!,
    action: 'complete',
  });
  await publicFeedback(publicTicketContext({ now: at(D1, 9, 25) }), {
    publicToken: t1.publicToken,
    rating: 4,
  });
  // D1 09:40 t2 → B, called 10:05 at Desk 2 by U2 (wait 1500 s > 15 min), no-show 10:06.
  ids.t2 = (await enqueue(ctx(at(D1, 9, 40)), { branchId: f.branchId, queueId: B })).ticket.id;
  expect((await callNext(ctx(at(D1, 10, 5), U2), { branchId: f.branchId, counterId: C2 }))!.id).toBe(ids.t2);
  await applyTicketAction(ctx(at(D1, 10, 6), U2), {
    branchId: f.branchId,
    ticketId: ids.t2!,
    action: 'no-show',
  });
  // D1 10:30 t3 → B, cancelled while waiting 10:31.
  ids.t3 = (await enqueue(ctx(at(D1, 10, 30)), { branchId: f.branchId, queueId: B })).ticket.id;
  await applyTicketAction(ctx(at(D1, 10, 31)), { branchId: f.branchId, ticketId: ids.t3!, action: 'cancel' });
  // D2 14:00 t4 → A, called 14:00:30 by U1 (wait 30 s), started 14:01, done 14:03 (service 120 s),
  // rated 5 the next morning (it counts on D2, its business day).
  const t4 = (await enqueue(ctx(at(D2, 14, 0)), { branchId: f.branchId, queueId: A })).ticket;
  ids.t4 = t4.id;
  expect((await callNext(ctx(at(D2, 14, 0, 30)), { branchId: f.branchId, counterId: C1 }))!.id).toBe(ids.t4);
  await applyTicketAction(ctx(at(D2, 14, 1)), { branchId: f.branchId, ticketId: ids.t4!, action: 'start' });
  await applyTicketAction(ctx(at(D2, 14, 3)), {
    branchId: f.branchId,
    ticketId: ids.t4!,
    action: 'complete',
  });
  await publicFeedback(publicTicketContext({ now: at('2026-03-04', 9, 0) }), {
    publicToken: t4.publicToken,
    rating: 5,
    comment: 'Rápido',
  });

  // Labels: a name with a comma and quotes, a soft-deleted queue, one agent with a user item.
  await update(queueKey(f.tenantId, f.branchId, A), { name: 'Ventanilla "Norte", 1' });
  await update(queueKey(f.tenantId, f.branchId, B), {
    deletedAt: at(D2, 20, 0).toISOString(),
    name: 'Old B',
  });
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: { ...userKey(f.tenantId, U1), type: 'user', id: U1, fullName: 'Ana Pérez', username: 'ana' },
    }),
  );

  // A second branch of the same tenant, renamed so it sorts first, with one served ticket.
  second = await createBranchFixture({ tenantId: f.tenantId, timezone: TZ });
  await update(branchKey(f.tenantId, second.branchId), { name: 'Alpha office' });
  const g = second.queues.G!.id;
  await enqueue(ctx(at(D1, 11, 0), U1, second), { branchId: second.branchId, queueId: g });
  const c = await callNext(ctx(at(D1, 11, 10), U1, second), {
    branchId: second.branchId,
    counterId: second.counters['Counter 1']!,
  });
  await applyTicketAction(ctx(at(D1, 11, 20), U1, second), {
    branchId: second.branchId,
    ticketId: c!.id,
    action: 'complete',
  });

  admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  manager = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'manager' });
});

const report = (query: Record<string, string>, token = manager, branchId = f.branchId) =>
  call('GET', `/v1/branches/${branchId}/report`, { token, query });

const NO_WAITS = { avgWaitSeconds: null, p90WaitSeconds: null, maxWaitSeconds: null, withinTargetPct: null };

describe('GET /v1/branches/{branchId}/report', () => {
  it('reports the days of the range, with totals', async () => {
    const res = await report({ from: D1, to: D2 });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toMatchObject({ branchId: f.branchId, from: D1, to: D2, groupBy: 'day' });
    expect(res.body.totals).toEqual({
      issued: 4,
      served: 2,
      noShow: 1,
      cancelled: 1,
      expired: 0,
      avgWaitSeconds: 550,
      // Nearest rank of 3 waits is the largest (1500 s): the middle of its bucket, clamped to the max.
      p90WaitSeconds: 1500,
      maxWaitSeconds: 1500,
      avgServiceSeconds: 300,
      withinTargetPct: 66.67,
      feedbackCount: 2,
      avgRating: 4.5,
    });
    expect(res.body.groups).toEqual([
      {
        key: D1,
        label: D1,
        issued: 3,
        served: 1,
        noShow: 1,
        cancelled: 1,
        expired: 0,
        avgWaitSeconds: 810,
        p90WaitSeconds: 1500,
        maxWaitSeconds: 1500,
        avgServiceSeconds: 480,
        withinTargetPct: 50,
        feedbackCount: 1,
        avgRating: 4,
      },
      {
        key: D2,
        label: D2,
        issued: 1,
        served: 1,
        noShow: 0,
        cancelled: 0,
        expired: 0,
        avgWaitSeconds: 30,
        p90WaitSeconds: 15,
        maxWaitSeconds: 30,
        avgServiceSeconds: 120,
        withinTargetPct: 100,
        feedbackCount: 1,
        avgRating: 5,
      },
    ]);
    // groupBy and format default to day and json.
    expect((await report({ from: D1, to: D2, groupBy: 'day', format: 'json' })).body).toEqual(res.body);
  });

  it('lists only days with figures, and nothing for a range without activity', async () => {
    const wide = await report({ from: '2026-02-01', to: '2026-03-31' });
    expect(wide.body.groups.map((g: any) => g.key)).toEqual([D1, D2]);
    const empty = await report({ from: '2026-01-01', to: '2026-01-31', groupBy: 'queue' });
    expect(empty.status).toBe(200);
    expect(empty.body.groups).toEqual([]);
    expect(empty.body.totals).toEqual(NO_TICKETS_STATS);
    const oneDay = await report({ from: D2, to: D2 });
    expect(oneDay.body.totals.issued).toBe(1);
  });

  it('groups by queue with current names, soft-deleted queues included', async () => {
    const res = await report({ from: D1, to: D2, groupBy: 'queue' });
    expect(
      res.body.groups.map((g: any) => [g.key, g.label, g.issued, g.served, g.noShow, g.cancelled]),
    ).toEqual([
      [f.queues.B!.id, 'Old B', 2, 0, 1, 1],
      [f.queues.A!.id, 'Ventanilla "Norte", 1', 2, 2, 0, 0],
    ]);
    expect(res.body.groups[1]).toMatchObject({
      avgWaitSeconds: 75,
      maxWaitSeconds: 120,
      withinTargetPct: 100,
      avgServiceSeconds: 300,
    });
    expect(res.body.groups[0]).toMatchObject({
      avgWaitSeconds: 1500,
      withinTargetPct: 0,
      avgServiceSeconds: null,
    });
  });

  it('groups by priority, counter, agent and hour', async () => {
    const byPriority = await report({ from: D1, to: D2, groupBy: 'priority' });
    expect(byPriority.body.groups.map((g: any) => [g.label, g.issued])).toEqual([
      ['General', 2],
      ['Preferential', 2],
    ]);
    const byCounter = await report({ from: D1, to: D2, groupBy: 'counter' });
    // Counters' `issued` = the tickets they called first.
    expect(
      byCounter.body.groups.map((g: any) => [g.key, g.label, g.issued, g.served, g.noShow, g.cancelled]),
    ).toEqual([
      [f.counters['Desk 1'], 'Desk 1', 2, 2, 0, 0],
      [f.counters['Desk 2'], 'Desk 2', 1, 0, 1, 0],
    ]);
    // Ratings count where the service counted: the counter and agent that served the ticket.
    expect(byCounter.body.groups.map((g: any) => [g.feedbackCount, g.avgRating])).toEqual([
      [2, 4.5],
      [0, null],
    ]);
    const byAgent = await report({ from: D1, to: D2, groupBy: 'agent' });
    const agents = byAgent.body.groups.map((g: any) => [g.key, g.label, g.issued]);
    expect(agents).toHaveLength(2);
    expect(agents).toContainEqual([U1, 'Ana Pérez', 2]);
    expect(agents).toContainEqual([U2, U2, 1]); // no user item: the id is the label
    expect(byAgent.body.groups.find((g: any) => g.key === U1)).toMatchObject({
      feedbackCount: 2,
      avgRating: 4.5,
    });
    const byHour = await report({ from: D1, to: D2, groupBy: 'hour' });
    expect(byHour.body.groups.map((g: any) => [g.key, g.label, g.issued, g.cancelled])).toEqual([
      ['09', '09:00–10:00', 2, 0],
      ['10', '10:00–11:00', 1, 1],
      ['14', '14:00–15:00', 1, 0],
    ]);
    expect(byHour.body.groups[1]).toMatchObject(NO_WAITS);
    expect(byHour.body.groups.map((g: any) => [g.key, g.feedbackCount, g.avgRating])).toEqual([
      ['09', 1, 4],
      ['10', 0, null],
      ['14', 1, 5],
    ]);
  });

  it('answers CSV as an attachment, quoting labels, with a total row', async () => {
    const res = await report({ from: D1, to: D2, groupBy: 'queue', format: 'csv' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="report-${f.branchId}-${D1}-${D2}-queue.csv"`,
    );
    expect(res.text!.split('\r\n')).toEqual([
      REPORT_CSV_HEADER,
      `${f.queues.B!.id},Old B,2,0,1,1,0,1500,1500,1500,,0,0,`,
      `${f.queues.A!.id},"Ventanilla ""Norte"", 1",2,2,0,0,0,75,105,120,300,100,2,4.5`,
      'total,Total,4,2,1,1,0,550,1500,1500,300,66.67,2,4.5',
      '',
    ]);
  });

  it('rejects invalid queries with 400 (the range rules of reports)', async () => {
    const cases: Record<string, string>[] = [
      { from: D2, to: D1 },
      { from: '2025-01-01', to: '2026-01-02' }, // 367 days inclusive
      { from: D1, to: D2, groupBy: 'week' },
      { from: D1, to: D2, format: 'xlsx' },
      { from: '2026-02-30', to: '2026-03-02' },
      { from: '2026-3-2', to: '2026-03-03' },
      { from: '02/03/2026', to: '2026-03-03' },
      { from: D1 },
      { to: D2 },
      { from: D1, to: D2, branch: 'x' },
      {},
    ];
    for (const query of cases) {
      const res = await report(query);
      expect(res.status, JSON.stringify(query)).toBe(400);
      expect(res.headers['content-type']).toBe('application/problem+json');
    }
    expect((await report({ from: D1, to: D2, nope: '1' })).body.errors).toContainEqual({
      path: 'query.nope',
      message: 'Unknown field',
    });
    // 366 days inclusive is fine.
    expect((await report({ from: '2025-01-01', to: '2026-01-01' })).status).toBe(200);
    // A malformed branch id is a 400 too.
    expect(
      (await call('GET', '/v1/branches/not-a-ulid/report', { token: manager, query: { from: D1, to: D2 } }))
        .status,
    ).toBe(400);
  });

  it('answers 403 without reports:read, even before validating the query', async () => {
    const agent = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'agent' });
    expect((await report({ from: D1, to: D2 }, agent)).status).toBe(403);
    expect((await report({ from: D2, to: D1 }, agent)).status).toBe(403);
  });

  it('answers 404 for another tenant’s branch or a deleted one, and 403 out of the branch scope', async () => {
    const other = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
    const otherRes = await report({ from: D1, to: D2 }, other);
    expect(otherRes.status).toBe(404);
    expect(JSON.stringify(otherRes.body)).not.toContain('Ventanilla');
    // Validation still comes before the 404.
    expect((await report({ from: D2, to: D1 }, other)).status).toBe(400);
    expect((await report({ from: D1, to: D2 }, manager, ulid())).status).toBe(404);

    const scoped = await mintToken(env.signingKey, {
      tenantId: f.tenantId,
      role: 'manager',
      branches: [second.branchId],
    });
    expect((await report({ from: D1, to: D2 }, scoped)).status).toBe(403);
    expect((await report({ from: D1, to: D2 }, scoped, second.branchId)).status).toBe(200);
    // 404 before 403: an unknown branch is 404 even out of scope.
    expect((await report({ from: D1, to: D2 }, scoped, ulid())).status).toBe(404);

    const gone = await createBranchFixture({ tenantId: f.tenantId });
    await update(branchKey(f.tenantId, gone.branchId), { deletedAt: new Date().toISOString() });
    expect((await report({ from: D1, to: D2 }, admin, gone.branchId)).status).toBe(404);
  });
});

describe('GET /v1/reports/summary', () => {
  const summary = (query: Record<string, string>, token = manager) =>
    call('GET', '/v1/reports/summary', { token, query });

  it('reports every branch of the scope by name, and totals merged from raw figures', async () => {
    const res = await summary({ from: D1, to: D2 });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(D1);
    expect(res.body.to).toBe(D2);
    const rows = res.body.branches.map((b: any) => [b.branchId, b.name, b.issued, b.served]);
    // Branches of this tenant: the first, the second (renamed "Alpha office"), and the deleted one (left out).
    expect(rows).toEqual([
      [second.branchId, 'Alpha office', 1, 1],
      [f.branchId, 'Test branch', 4, 2],
    ]);
    // Waits 120, 1500, 30 (first branch) and 600 (second): the mean of all four, not of the two means.
    expect(res.body.totals).toMatchObject({
      issued: 5,
      served: 3,
      noShow: 1,
      cancelled: 1,
      avgWaitSeconds: 562.5,
      maxWaitSeconds: 1500,
      withinTargetPct: 75,
      avgServiceSeconds: 400,
      feedbackCount: 2,
      avgRating: 4.5,
    });
    expect(res.body.branches[1]).toMatchObject({ feedbackCount: 2, avgRating: 4.5 });
    expect(res.body.branches[0]).toMatchObject({
      feedbackCount: 0,
      avgRating: null,
      avgWaitSeconds: 600,
      withinTargetPct: 100,
      avgServiceSeconds: 600,
    });
  });

  it('lists only the branches in the actor’s scope; another tenant sees none of them', async () => {
    const scoped = await mintToken(env.signingKey, {
      tenantId: f.tenantId,
      role: 'manager',
      branches: [f.branchId],
    });
    const res = await summary({ from: D1, to: D2 }, scoped);
    expect(res.body.branches.map((b: any) => b.branchId)).toEqual([f.branchId]);
    expect(res.body.totals.issued).toBe(4);
    const other = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
    const none = await summary({ from: D1, to: D2 }, other);
    expect(none.status).toBe(200);
    expect(none.body.branches).toEqual([]);
    expect(none.body.totals).toMatchObject({ issued: 0, avgWaitSeconds: null });
  });

  it('validates the range and requires reports:read', async () => {
    expect((await summary({ from: D2, to: D1 })).status).toBe(400);
    expect((await summary({ from: '2025-01-01', to: '2026-01-02' })).status).toBe(400);
    expect((await summary({ from: D1, to: D2, groupBy: 'day' })).status).toBe(400);
    expect((await summary({ from: '2026-02-29', to: '2026-03-01' })).status).toBe(400);
    const kiosk = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'kiosk' });
    expect((await summary({ from: D1, to: D2 }, kiosk)).status).toBe(403);
  });
});

/**
 * The report routes' shapes and rules on a tenant of their own: a day of tickets through the
 * handlers, and hand-checked figures through the use cases with a clock.
 */
describe('reports: shapes and rules', () => {
  const tenantId = ulid();
  const agentId = ulid();
  let agent: string;
  let manager: string;
  beforeAll(async () => {
    agent = await mintToken(env.signingKey, { tenantId, userId: agentId, role: 'agent' });
    manager = await mintToken(env.signingKey, { tenantId, role: 'manager' });
  });
  const { inQueue, next, act } = ticketCalls(() => agent);
  const issue = async (f: BranchFixture, prefix: string) => (await inQueue(f, prefix)).ticket;
  const b = branchPath;
  const today = () => businessDayOf(new Date(), 'Europe/Madrid', 3);

  describe('of a day of tickets', () => {
    let f: BranchFixture;
    beforeAll(async () => {
      f = await createBranchFixture({
        tenantId,
        priorities: { Fast: { rank: 1, targetWaitMinutes: 5 }, Slow: { rank: 4 } },
        queues: { A: { priority: 'Fast' }, B: { priority: 'Slow' } },
        counters: {
          D1: { queues: ['A'], allowStealing: false },
          D2: { queues: ['B'], allowStealing: false },
        },
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
      expect(Object.keys(res.body.totals).sort()).toEqual([...STAT_FIELDS].sort());
      expect(res.body.totals).toMatchObject({ issued: 5, served: 2, noShow: 1, cancelled: 1, expired: 1 });
      for (const f of ['avgWaitSeconds', 'p90WaitSeconds', 'maxWaitSeconds', 'avgServiceSeconds'])
        expect(res.body.totals[f], f).toEqual(expect.any(Number));
      expect(res.body.totals.withinTargetPct).toBe(100);
      expect(res.body.groups).toHaveLength(1);
      expect(Object.keys(res.body.groups[0]).sort()).toEqual(['key', 'label', ...STAT_FIELDS].sort());
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
      expect(empty.body.totals).toEqual(NO_TICKETS_STATS);
    });

    it('CSV: text/csv, the header of the rules, one row per group, then a total row', async () => {
      const res = await report({ groupBy: 'queue', format: 'csv' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      const lines = res.text!.trim().split(/\r?\n/);
      expect(lines[0]).toBe(REPORT_CSV_HEADER);
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
      expect(Object.keys(res.body.totals).sort()).toEqual([...STAT_FIELDS].sort());
      const mine = res.body.branches.find((x: any) => x.branchId === f.branchId);
      expect(Object.keys(mine).sort()).toEqual(['branchId', 'name', ...STAT_FIELDS].sort());
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

  describe('figures, with a clock', () => {
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
    const ctx = agentContextAt(tenantId, agentId);

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
});
