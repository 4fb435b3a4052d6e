import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { callNext } from '#core/usecases/tickets/call-next';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { call } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ISO_MS, TICKET_ACTION_RULES, TICKET_ACTIONS, TICKET_STATUSES, ULID } from '#tests/support/rules';
import { agentContextAt, branchPath, expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * Serving tickets, through the real handlers (and the use cases where a test needs a clock):
 * call-next and its order, the ticket actions, transfer, reassign, and the ticket list.
 */

let env: TestEnv;
const tenantId = ulid();
const agentId = ulid();
let agent: string;
let admin: string;
beforeAll(async () => {
  env = await createTestEnv();
  agent = await mintToken(env.signingKey, { tenantId, userId: agentId, role: 'agent' });
  admin = await mintToken(env.signingKey, { tenantId, role: 'admin' });
});

const fixture = (options: Parameters<typeof createBranchFixture>[0] = {}) =>
  createBranchFixture({ tenantId, agingMinutes: 0, ...options });
const b = branchPath;
const { inQueue, next, act, getTicket } = ticketCalls(() => agent);
const ctxAt = agentContextAt(tenantId, agentId);

describe.concurrent('call-next', () => {
  it('200 { ticket } called, with counterId, servedBy = caller and calledAt; 409 while busy; 204 when nothing', async () => {
    const f = await fixture();
    const { ticket } = await inQueue(f, 'G');
    const res = await next(f, 'Counter 1');
    expectStatus(res, 200);
    expect(Object.keys(res.body)).toEqual(['ticket']);
    expect(res.body.ticket).toMatchObject({
      id: ticket.id,
      status: 'called',
      counterId: f.counters['Counter 1'],
      servedBy: agentId,
      calledAt: expect.stringMatching(ISO_MS),
    });
    await inQueue(f, 'G');
    expectStatus(await next(f, 'Counter 1'), 409, 'called');
    await act(f, ticket.id, 'start');
    expectStatus(await next(f, 'Counter 1'), 409, 'serving');
    await act(f, ticket.id, 'complete');
    expectStatus(await next(f, 'Counter 1'), 200);
    const empty = await call('POST', `${b(f)}/counters/${f.counters['Counter 1']}/call-next`, {
      token: agent,
    });
    expect(empty.status).toBe(409); // still holds the second one
  });

  it('order: lowest effective rank, then earliest queuedAt, then id', async () => {
    const f = await fixture({
      priorities: { R1: { rank: 1 }, R2: { rank: 2 }, R3: { rank: 3 } },
      queues: { A: { priority: 'R3' }, B: { priority: 'R2' } },
      counters: { D: { queues: ['A', 'B'] } },
    });
    const a1 = (await inQueue(f, 'A')).ticket;
    const b1 = (await inQueue(f, 'B')).ticket;
    const a2 = (await inQueue(f, 'A', { priorityId: f.priorities.R1!.id })).ticket;
    const b2 = (await inQueue(f, 'B')).ticket;
    const order = [];
    for (let i = 0; i < 4; i++) {
      const r = await next(f, 'D');
      order.push(r.body.ticket.id);
      await act(f, r.body.ticket.id, 'complete');
    }
    expect(order).toEqual([a2.id, b1.id, b2.id, a1.id]);
  });

  it('aging: effective rank = rank − floor(minutes since queuedAt ÷ agingMinutes)', async () => {
    const now = new Date();
    const f = await fixture({
      agingMinutes: 10,
      priorities: { R1: { rank: 1 }, R3: { rank: 3 } },
      queues: { Slow: { priority: 'R3' }, Fast: { priority: 'R1' } },
      counters: { D: { queues: ['Slow', 'Fast'] } },
      now: new Date(now.getTime() - 3_600_000),
    });
    // Queued 25 minutes ago at rank 3 → effective 1; a fresh rank-1 ticket ties on rank and loses on queuedAt.
    const old = await enqueue(ctxAt(new Date(now.getTime() - 25 * 60_000)), {
      branchId: f.branchId,
      queueId: f.queues.Slow!.id,
    });
    const fresh = await enqueue(ctxAt(new Date(now.getTime() - 60_000)), {
      branchId: f.branchId,
      queueId: f.queues.Fast!.id,
    });
    // Queued 15 minutes ago at rank 3 → effective 2: after the fresh rank-1.
    const mid = await enqueue(ctxAt(new Date(now.getTime() - 15 * 60_000)), {
      branchId: f.branchId,
      queueId: f.queues.Slow!.id,
    });
    const order = [];
    for (let i = 0; i < 3; i++) {
      const t = await callNext(ctxAt(now), f.branchId, f.counters.D!);
      order.push(t!.id);
      await act(f, t!.id, 'complete');
    }
    expect(order).toEqual([old.ticket.id, fresh.ticket.id, mid.ticket.id]);
  });

  it('no aging when agingMinutes is 0', async () => {
    const now = new Date();
    const f = await fixture({
      agingMinutes: 0,
      priorities: { R1: { rank: 1 }, R3: { rank: 3 } },
      queues: { Slow: { priority: 'R3' }, Fast: { priority: 'R1' } },
      counters: { D: { queues: ['Slow', 'Fast'] } },
    });
    const old = await enqueue(ctxAt(new Date(now.getTime() - 120 * 60_000)), {
      branchId: f.branchId,
      queueId: f.queues.Slow!.id,
    });
    const fresh = await enqueue(ctxAt(now), { branchId: f.branchId, queueId: f.queues.Fast!.id });
    const first = await callNext(ctxAt(new Date(now.getTime() + 1000)), f.branchId, f.counters.D!);
    expect(first!.id).toBe(fresh.ticket.id);
    expect(old.ticket.id).not.toBe(fresh.ticket.id);
  });

  it('own queues (open or paused) first; steals only when they are empty; never from closed queues', async () => {
    const f = await fixture({
      priorities: { R1: { rank: 1 }, R5: { rank: 5 } },
      queues: {
        Own: { priority: 'R5' },
        Paused: { priority: 'R5' },
        Other: { priority: 'R1' },
        Closed: { priority: 'R1' },
      },
      counters: {
        D: { queues: ['Own', 'Paused'] },
        NoSteal: { queues: ['Own'], allowStealing: false },
        ClosedOwner: { queues: ['Closed'], allowStealing: false },
      },
    });
    const own = (await inQueue(f, 'Own')).ticket;
    const other = (await inQueue(f, 'Other')).ticket;
    const closedTicket = (await inQueue(f, 'Closed')).ticket;
    // Ticket in a queue that is paused afterwards.
    const pausedTicket = (await inQueue(f, 'Paused')).ticket;
    await call('PATCH', `${b(f)}/queues/${f.queues.Paused!.id}`, {
      token: admin,
      body: { status: 'paused' },
    });
    await call('PATCH', `${b(f)}/queues/${f.queues.Closed!.id}`, {
      token: admin,
      body: { status: 'closed' },
    });

    // Own queues first although Other is more urgent.
    const r1 = await next(f, 'D');
    expect(r1.body.ticket.id).toBe(own.id);
    await act(f, own.id, 'complete');
    // Paused queues are still served.
    const r2 = await next(f, 'D');
    expect(r2.body.ticket.id).toBe(pausedTicket.id);
    await act(f, pausedTicket.id, 'complete');
    // Own queues empty: a counter that may not steal gets 204.
    expectStatus(await next(f, 'NoSteal'), 204);
    // A closed own queue is not served.
    expectStatus(await next(f, 'ClosedOwner'), 204);
    // Stealing takes the best of the other non-closed queues, never the closed one.
    const r3 = await next(f, 'D');
    expect(r3.body.ticket.id).toBe(other.id);
    await act(f, other.id, 'complete');
    expectStatus(await next(f, 'D'), 204);
    expect((await getTicket(f, closedTicket.id)).ticket.status).toBe('waiting');
  });
});

describe.concurrent('ticket actions', () => {
  /** One branch per status, with one ticket in that status per action (and a counter each). */
  async function ticketsIn(status: string) {
    const counters = Object.fromEntries(
      TICKET_ACTIONS.map((a) => [a, { queues: ['G'], allowStealing: false }]),
    );
    const f = await fixture({ queues: { G: { priority: 'General' }, T: { priority: 'General' } }, counters });
    const ids: Record<string, string> = {};
    for (const a of TICKET_ACTIONS) {
      const { ticket } = await inQueue(f, 'G');
      ids[a] = ticket.id;
      if (status === 'waiting' || status === 'cancelled' || status === 'expired') continue;
      const called = await next(f, a);
      expect(called.body.ticket.id).toBe(ticket.id);
    }
    for (const a of TICKET_ACTIONS) {
      const step =
        { serving: ['start'], done: ['complete'], no_show: ['no-show'], cancelled: ['cancel'] }[status] ?? [];
      for (const s of step) expectStatus(await act(f, ids[a]!, s), 200, `${s} to reach ${status}`);
    }
    if (status === 'expired') expectStatus(await call('POST', `${b(f)}/close-day`, { token: admin }), 200);
    return { f, ids };
  }

  for (const status of TICKET_STATUSES) {
    it(`from ${status}: allowed actions → 200 with the new status, others → 409`, async () => {
      const { f, ids } = await ticketsIn(status);
      for (const a of TICKET_ACTIONS) {
        const before = (await getTicket(f, ids[a]!)).ticket;
        expect(before.status).toBe(status);
        const body = a === 'transfer' ? { queueId: f.queues.T!.id } : undefined;
        const res = await act(f, ids[a]!, a, body, admin);
        if (TICKET_ACTION_RULES[a].from.includes(status)) {
          expectStatus(res, 200, `${a} from ${status}`);
          expect(Object.keys(res.body)).toEqual(['ticket']);
          expect(res.body.ticket.status, `${a} from ${status}`).toBe(TICKET_ACTION_RULES[a].to);
          // Ending a ticket at a counter, or moving it away, frees the counter.
          const counter = await call('GET', `${b(f)}/counters/${f.counters[a]}`, { token: admin });
          const holds = ['start', 'recall'].includes(a) && status !== 'waiting';
          expect(counter.body.currentTicketId, `${a} from ${status}`).toBe(holds ? ids[a] : null);
        } else {
          expectStatus(res, 409, `${a} from ${status}`);
          expect((await getTicket(f, ids[a]!)).ticket).toEqual(before);
        }
      }
    });
  }

  it('start sets startedAt; complete and no-show set endedAt; recall adds 1 and renews calledAt', async () => {
    const f = await fixture({ counters: { D: { queues: ['G'] } } });
    const t = (await inQueue(f, 'G')).ticket;
    const called = (await next(f, 'D')).body.ticket;
    await new Promise((r) => setTimeout(r, 5));
    const recalled = (await act(f, t.id, 'recall')).body.ticket;
    expect(recalled.recalls).toBe(1);
    expect(recalled.calledAt > called.calledAt).toBe(true);
    expect((await act(f, t.id, 'recall')).body.ticket.recalls).toBe(2);
    const started = (await act(f, t.id, 'start')).body.ticket;
    expect(started.startedAt).toMatch(ISO_MS);
    const done = (await act(f, t.id, 'complete')).body.ticket;
    expect(done.endedAt).toMatch(ISO_MS);
    const t2 = (await inQueue(f, 'G')).ticket;
    await next(f, 'D');
    expect((await act(f, t2.id, 'no-show')).body.ticket.endedAt).toMatch(ISO_MS);
  });

  it('cancel needs tickets:cancel; the other actions tickets:serve', async () => {
    const f = await fixture();
    const t = (await inQueue(f, 'G')).ticket;
    const display = await mintToken(env.signingKey, { tenantId, role: 'display' });
    const servesOnly = await mintToken(env.signingKey, { tenantId, role: 'x', perms: ['tickets:serve'] });
    expectStatus(await act(f, t.id, 'cancel', undefined, servesOnly), 403);
    expectStatus(await act(f, t.id, 'start', undefined, display), 403);
    expectStatus(await next(f, 'Counter 1', display), 403);
  });
});

describe.concurrent('transfer', () => {
  it('keeps number, code, createdAt and (keep, the default) queuedAt; appends transfers { from, to, at, by }; frees the counter', async () => {
    const f = await fixture({
      priorities: { A: { rank: 2 }, B: { rank: 4 } },
      queues: { A: { priority: 'A' }, B: { priority: 'B' } },
      counters: { D: { queues: ['A'], allowStealing: false } },
    });
    const t = (await inQueue(f, 'A')).ticket;
    await next(f, 'D');
    const moved = await act(f, t.id, 'transfer', { queueId: f.queues.B!.id });
    expectStatus(moved, 200);
    expect(moved.body.ticket).toMatchObject({
      status: 'waiting',
      queueId: f.queues.B!.id,
      priorityId: f.priorities.B!.id, // no individual priority: takes the target queue's
      number: t.number,
      code: t.code,
      createdAt: t.createdAt,
      queuedAt: t.queuedAt,
    });
    expect(moved.body.ticket.transfers).toEqual([
      {
        fromQueueId: f.queues.A!.id,
        toQueueId: f.queues.B!.id,
        at: expect.stringMatching(ISO_MS),
        by: agentId,
      },
    ]);
    const counter = await call('GET', `${b(f)}/counters/${f.counters.D}`, { token: admin });
    expect(counter.body.currentTicketId).toBeNull();
    expect((await next(f, 'D')).status).toBe(204);
  });

  it('placement "back" sets queuedAt to now; an individual priority is kept', async () => {
    const f = await fixture({
      priorities: { Urgent: { rank: 1 }, A: { rank: 2 }, B: { rank: 4 } },
      queues: { A: { priority: 'A' }, B: { priority: 'B' } },
      counters: { D: { queues: ['A'] } },
    });
    const t = (await inQueue(f, 'A', { priorityId: f.priorities.Urgent!.id })).ticket;
    await new Promise((r) => setTimeout(r, 5));
    const moved = await act(f, t.id, 'transfer', { queueId: f.queues.B!.id, placement: 'back' });
    expectStatus(moved, 200);
    expect(moved.body.ticket.priorityId).toBe(f.priorities.Urgent!.id);
    expect(moved.body.ticket.queuedAt > t.queuedAt).toBe(true);
    expect(moved.body.ticket.createdAt).toBe(t.createdAt);
    expect(moved.body.ticket.transfers).toHaveLength(1);
    expectStatus(await act(f, t.id, 'transfer', { queueId: f.queues.A!.id, placement: 'sideways' }), 400);
  });
});

describe.concurrent('reassign', () => {
  it('{ fromQueueId, toQueueId, count } moves the best `count` in call-next order → { moved, count }', async () => {
    const f = await fixture({
      priorities: { Urgent: { rank: 1 }, A: { rank: 3 }, B: { rank: 5 } },
      queues: { A: { priority: 'A' }, B: { priority: 'B' } },
      counters: { D: { queues: ['A', 'B'] } },
    });
    const t1 = (await inQueue(f, 'A')).ticket;
    const t2 = (await inQueue(f, 'A')).ticket;
    const t3 = (await inQueue(f, 'A', { priorityId: f.priorities.Urgent!.id })).ticket;
    const res = await call('POST', `${b(f)}/reassign`, {
      token: agent,
      body: { fromQueueId: f.queues.A!.id, toQueueId: f.queues.B!.id, count: 2 },
    });
    expectStatus(res, 403); // agents lack tickets:reassign
    const ok = await call('POST', `${b(f)}/reassign`, {
      token: admin,
      body: { fromQueueId: f.queues.A!.id, toQueueId: f.queues.B!.id, count: 2 },
    });
    expectStatus(ok, 200);
    expect(ok.body).toEqual({ moved: [t3.id, t1.id], count: 2, remaining: 0 });
    const m3 = (await getTicket(f, t3.id)).ticket;
    const m1 = (await getTicket(f, t1.id)).ticket;
    expect(m3).toMatchObject({
      queueId: f.queues.B!.id,
      code: t3.code,
      number: t3.number,
      createdAt: t3.createdAt,
      queuedAt: t3.queuedAt,
      priorityId: f.priorities.Urgent!.id,
    });
    expect(m1).toMatchObject({
      queueId: f.queues.B!.id,
      priorityId: f.priorities.B!.id,
      queuedAt: t1.queuedAt,
    });
    expect(m1.transfers).toEqual([
      {
        fromQueueId: f.queues.A!.id,
        toQueueId: f.queues.B!.id,
        at: expect.any(String),
        by: expect.stringMatching(ULID),
      },
    ]);
    // Default: all of them.
    const rest = await call('POST', `${b(f)}/reassign`, {
      token: admin,
      body: { fromQueueId: f.queues.A!.id, toQueueId: f.queues.B!.id },
    });
    expect(rest.body).toEqual({ moved: [t2.id], count: 1, remaining: 0 });
  });

  it('{ ticketIds } moves exactly those; tickets that stopped waiting are skipped', async () => {
    const f = await fixture({
      queues: { A: { priority: 'General' }, B: { priority: 'General' } },
      counters: { D: { queues: ['A'] } },
    });
    const t1 = (await inQueue(f, 'A')).ticket;
    const t2 = (await inQueue(f, 'A')).ticket;
    const t3 = (await inQueue(f, 'A')).ticket;
    await next(f, 'D'); // calls t1
    const res = await call('POST', `${b(f)}/reassign`, {
      token: admin,
      body: { fromQueueId: f.queues.A!.id, toQueueId: f.queues.B!.id, ticketIds: [t1.id, t3.id] },
    });
    expectStatus(res, 200);
    expect(res.body).toEqual({ moved: [t3.id], count: 1, remaining: 0 });
    expect((await getTicket(f, t2.id)).ticket.queueId).toBe(f.queues.A!.id);
  });

  it('{ mode: "balance", queueIds } moves the most recent arrivals from the longest to the shortest until within 1', async () => {
    const f = await fixture({
      queues: { A: { priority: 'General' }, B: { priority: 'General' }, C: { priority: 'General' } },
      counters: { D: { queues: ['A', 'B', 'C'] } },
    });
    const a = [];
    for (let i = 0; i < 5; i++) a.push((await inQueue(f, 'A')).ticket);
    await inQueue(f, 'C');
    const res = await call('POST', `${b(f)}/reassign`, {
      token: admin,
      body: { mode: 'balance', queueIds: [f.queues.A!.id, f.queues.B!.id, f.queues.C!.id] },
    });
    expectStatus(res, 200);
    expect(res.body.count).toBe(res.body.moved.length);
    const queues = (await call('GET', `${b(f)}/queues`, { token: admin })).body.items;
    const waiting = queues.map((q: any) => q.waiting);
    expect(Math.max(...waiting) - Math.min(...waiting)).toBeLessThanOrEqual(1);
    expect(waiting.reduce((x: number, y: number) => x + y, 0)).toBe(6);
    // The moved ones are A's latest arrivals.
    expect(new Set(res.body.moved)).toEqual(new Set(a.slice(5 - res.body.count).map((t) => t.id)));
  });
});

describe.concurrent('ticket list', () => {
  it('filters by status, queueId and businessDay (default: the current one), paginated', async () => {
    const f = await fixture({
      queues: { A: { priority: 'General' }, B: { priority: 'General' } },
      counters: { D: { queues: ['A'] } },
    });
    const a1 = (await inQueue(f, 'A')).ticket;
    await inQueue(f, 'A');
    const b1 = (await inQueue(f, 'B')).ticket;
    await next(f, 'D');
    const all = await call('GET', `${b(f)}/tickets`, { token: agent });
    expect(all.body.items).toHaveLength(3);
    const called = await call('GET', `${b(f)}/tickets`, { token: agent, query: { status: 'called' } });
    expect(called.body.items.map((t: any) => t.id)).toEqual([a1.id]);
    const inB = await call('GET', `${b(f)}/tickets`, { token: agent, query: { queueId: f.queues.B!.id } });
    expect(inB.body.items.map((t: any) => t.id)).toEqual([b1.id]);
    const other = await call('GET', `${b(f)}/tickets`, {
      token: agent,
      query: { businessDay: '2020-01-01' },
    });
    expect(other.body).toEqual({ items: [], nextCursor: null });
    const today = await call('GET', `${b(f)}/tickets`, {
      token: agent,
      query: { businessDay: a1.businessDay, limit: '2' },
    });
    expect(today.body.items).toHaveLength(2);
    const rest = await call('GET', `${b(f)}/tickets`, {
      token: agent,
      query: { businessDay: a1.businessDay, cursor: today.body.nextCursor },
    });
    expect(rest.body.items).toHaveLength(1);
    // An exactly full last page may carry a cursor; the page after it is then empty with null.
    const full = await call('GET', `${b(f)}/tickets`, { token: agent, query: { limit: '3' } });
    expect(full.body.items).toHaveLength(3);
    if (full.body.nextCursor !== null) {
      const after = await call('GET', `${b(f)}/tickets`, {
        token: agent,
        query: { limit: '3', cursor: full.body.nextCursor },
      });
      expect(after.body).toEqual({ items: [], nextCursor: null });
    }
    for (const businessDay of ['2026-13-45', '2026-02-30', '26-01-01'])
      expectStatus(
        await call('GET', `${b(f)}/tickets`, { token: agent, query: { businessDay } }),
        400,
        businessDay,
      );
  });
});
