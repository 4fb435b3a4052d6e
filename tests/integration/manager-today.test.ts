import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoTicketStore } from '#core/adapters/dynamo/ticket-store';
import { builtInRole } from '#core/domain/permissions';
import type { TicketRecord } from '#core/domain/ticket';
import { OVERDUE_LIST_LIMIT, type Today, today } from '#core/usecases/reports/today';
import { callNext } from '#core/usecases/tickets/call-next';
import { applyTicketAction, transferTicket } from '#core/usecases/tickets/ticket-actions';
import { todayContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measured } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { storedUser } from '#tests/support/identity-fixtures';
import { agentContextAt, branchPath, expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * The manager's "today" (docs/rules.md#manager-today): its figures equal a brute-force
 * computation over the day's tickets, the overdue list holds exactly the waiting tickets past
 * their own target (waits counted from `queuedAt`: a transfer to the back starts a new wait),
 * each busy counter names its agent, and the DynamoDB requests do not grow with the tickets.
 */

let env: TestEnv;
let admin = '';
const calls = ticketCalls(() => admin);
const MINUTE = 60_000;

beforeAll(async () => {
  env = await createTestEnv();
});

/** A branch in UTC whose business day cannot turn within the test (its reset is 12 hours away). */
async function fixture(tenantId?: string): Promise<BranchFixture> {
  const f = await createBranchFixture({
    tenantId,
    timezone: 'UTC',
    resetHour: (new Date().getUTCHours() + 12) % 24,
    priorities: { Urgent: { rank: 1, targetWaitMinutes: 5 }, General: { rank: 3, targetWaitMinutes: 15 } },
    queues: { A: { priority: 'Urgent' }, G: { priority: 'General' }, H: { priority: 'General' } },
    counters: {
      C1: { queues: ['A'], allowStealing: false },
      C2: { queues: ['G'], allowStealing: false },
      C3: { queues: ['A'], allowStealing: false },
    },
  });
  admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  return f;
}

const managerAt = (f: BranchFixture, now: Date) =>
  todayContext({
    actor: {
      tenantId: f.tenantId,
      userId: 'manager',
      roleId: 'manager',
      permissions: builtInRole('manager')!.permissions,
      branches: [f.branchId],
    },
    now,
  });

async function dayTickets(f: BranchFixture, day: string): Promise<TicketRecord[]> {
  const page = await dynamoTicketStore.listByDay(f.tenantId, f.branchId, day, {}, { limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

/** What "today" must answer, computed from every ticket of the day. */
function bruteForce(tickets: TicketRecord[], now: Date) {
  const waited = (t: TicketRecord) => now.getTime() - Date.parse(t.queuedAt);
  const waiting = tickets.filter((t) => t.status === 'waiting');
  const called = tickets.filter((t) => t.firstCall !== null);
  const within = called.filter(
    (t) => Date.parse(t.firstCall!.at) - Date.parse(t.createdAt) <= t.targetWaitMinutes * MINUTE,
  );
  return {
    waitingNow: waiting.length,
    longestWaitSeconds: waiting.length ? Math.floor(Math.max(...waiting.map(waited)) / 1000) : null,
    servedToday: tickets.filter((t) => t.status === 'done').length,
    withinTargetPct: called.length ? Math.round((within.length / called.length) * 10_000) / 100 : null,
    overdue: waiting
      .filter((t) => waited(t) > t.targetWaitMinutes * MINUTE)
      .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))
      .map((t) => ({ code: t.code, queueId: t.queueId, waitedSeconds: Math.floor(waited(t) / 1000) })),
  };
}

describe('GET /v1/branches/{branchId}/today', () => {
  it('KPIs, overdue list and agents equal a brute-force computation over the tickets', async () => {
    const f = await fixture();
    const ana = await storedUser(f.tenantId, { fullName: 'Ana Agent' });
    const ben = await storedUser(f.tenantId, { fullName: 'Ben Agent' });
    const anaAt = agentContextAt(f.tenantId, ana.id);
    const benAt = agentContextAt(f.tenantId, ben.id);
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * MINUTE);
    const ids: Record<string, string> = {};
    for (const [name, queue] of [
      ['A1', 'A'],
      ['A2', 'A'],
      ['G1', 'G'],
      ['G2', 'G'],
      ['G3', 'G'],
      ['G4', 'G'],
    ] as const) {
      ids[name] = (await calls.inQueue(f, queue)).ticket.id;
    }
    const ref = (name: string) => ({ branchId: f.branchId, ticketId: ids[name]! });
    const counter = (name: string) => ({ branchId: f.branchId, counterId: f.counters[name]! });

    // A1 called at once and done (within its 5 minutes); A2 called and left at counter C1 (Ana).
    expect((await callNext(anaAt(t0), counter('C1')))?.id).toBe(ids.A1);
    await applyTicketAction(anaAt(t0), { ...ref('A1'), action: 'complete' });
    expect((await callNext(anaAt(t0), counter('C1')))?.id).toBe(ids.A2);
    // At +10: G3 moves to H keeping its place (and its wait), G4 goes to the back of H.
    await transferTicket(benAt(at(10)), { ...ref('G3'), queueId: f.queues.H!.id, placement: 'keep' });
    await transferTicket(benAt(at(10)), { ...ref('G4'), queueId: f.queues.H!.id, placement: 'back' });
    // At +20 Ben calls G1 (20 minutes: past its 15) and starts serving it.
    expect((await callNext(benAt(at(20)), counter('C2')))?.id).toBe(ids.G1);
    await applyTicketAction(benAt(at(20)), { ...ref('G1'), action: 'start' });

    const now = at(24);
    const result = await today(managerAt(f, now), { branchId: f.branchId });
    const expected = bruteForce(await dayTickets(f, result.businessDay), now);

    expect(result).toMatchObject({
      branchId: f.branchId,
      asOf: now.toISOString(),
      waitingNow: expected.waitingNow,
      longestWaitSeconds: expected.longestWaitSeconds,
      servedToday: expected.servedToday,
      withinTargetPct: expected.withinTargetPct,
      overdueCount: expected.overdue.length,
    });
    expect(
      result.overdue.map(({ code, queueId, waitedSeconds }) => ({ code, queueId, waitedSeconds })),
    ).toEqual(expected.overdue);
    // Spelled out: G2 (in G) and G3 (kept its place in H) are overdue; G4, issued as long ago
    // but sent to the back of H at +10, has waited 14 minutes there.
    expect(result.waitingNow).toBe(3);
    expect(result.servedToday).toBe(1);
    expect(result.withinTargetPct).toBe(66.67);
    expect(result.overdue.map((o) => o.ticketId)).toEqual([ids.G2, ids.G3]);
    expect(result.overdue.map((o) => o.ticketId)).not.toContain(ids.G4);
    expect(result.overdue[1]).toMatchObject({ queueName: 'Queue H', targetWaitMinutes: 15 });
    expect(result.counters).toEqual([
      {
        id: f.counters.C1,
        name: 'C1',
        current: expect.objectContaining({ status: 'called' }),
        agent: { id: ana.id, fullName: 'Ana Agent' },
      },
      {
        id: f.counters.C2,
        name: 'C2',
        current: expect.objectContaining({ status: 'serving' }),
        agent: { id: ben.id, fullName: 'Ben Agent' },
      },
      { id: f.counters.C3, name: 'C3', current: null, agent: null },
    ]);

    // Before anyone passed a target there is no alert; the longest wait is the oldest place.
    const early = await today(managerAt(f, at(1)), { branchId: f.branchId });
    expect(early.overdue).toEqual([]);
    expect(early.overdueCount).toBe(0);
  });

  it('through the route: 200 with the documented shape; 403 without reports:read or outside the branch scope', async () => {
    const f = await fixture();
    await calls.inQueue(f, 'G');
    const path = `${branchPath(f)}/today`;
    const ok = await call('GET', path, { token: admin });
    expectStatus(ok, 200, 'admin');
    expect(Object.keys(ok.body).sort()).toEqual(
      [
        'asOf',
        'branchId',
        'businessDay',
        'counters',
        'longestWaitSeconds',
        'overdue',
        'overdueCount',
        'servedToday',
        'waitingNow',
        'withinTargetPct',
      ].sort(),
    );
    expect(ok.body).toMatchObject({ waitingNow: 1, servedToday: 0, withinTargetPct: null, overdue: [] });

    const agent = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'agent' });
    expectStatus(await call('GET', path, { token: agent }), 403, 'agent (no reports:read)');
    const elsewhere = await mintToken(env.signingKey, {
      tenantId: f.tenantId,
      role: 'manager',
      branches: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expectStatus(await call('GET', path, { token: elsewhere }), 403, 'manager of another branch');
    const stranger = await mintToken(env.signingKey, {
      tenantId: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
      role: 'admin',
    });
    expectStatus(await call('GET', path, { token: stranger }), 404, 'another tenant');
  });

  it('costs the same DynamoDB requests with 3 or 60 tickets waiting; the list stops at 50 and counts them all', async () => {
    const small = await fixture();
    const large = await fixture(small.tenantId);
    const ana = await storedUser(small.tenantId, { fullName: 'Ana Agent' });
    for (const [f, n] of [
      [small, 4],
      [large, 61],
    ] as const) {
      for (let i = 0; i < n; i += 10) {
        await Promise.all(Array.from({ length: Math.min(10, n - i) }, () => calls.inQueue(f, 'G')));
      }
      await callNext(agentContextAt(f.tenantId, ana.id)(new Date()), {
        branchId: f.branchId,
        counterId: f.counters.C2!,
      });
    }
    const now = new Date(Date.now() + 20 * MINUTE);
    const measure = async (f: BranchFixture) => {
      const { result, metrics } = await measured(() => today(managerAt(f, now), { branchId: f.branchId }));
      return {
        result: result as Today,
        requests: metrics.requests(),
        commands: metrics.log().map((e) => e.command),
      };
    };
    const a = await measure(small);
    const b = await measure(large);
    expect(a.result.waitingNow).toBe(3);
    expect(b.result.waitingNow).toBe(60);
    expect(a.result.overdueCount).toBe(3);
    expect(b.result.overdueCount).toBe(60);
    expect(b.result.overdue).toHaveLength(OVERDUE_LIST_LIMIT);
    expect(b.result.counters[1]!.agent).toEqual({ id: ana.id, fullName: 'Ana Agent' });
    // setup + aggregates + priorities + one waiting-index Query (G) + tickets' servedBy + users.
    expect(a.requests).toBe(6);
    expect(b.requests).toBe(a.requests);
    expect(b.commands.sort()).toEqual(a.commands.sort());
  });
});
