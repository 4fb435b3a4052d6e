import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { sequenceKey } from '#core/adapters/dynamo/items/queue';
import { businessDayOf } from '#core/domain/business-day';
import { callNext } from '#core/usecases/tickets/call-next';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { call } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ISO_MS, TICKET_FIELDS, ULID } from '#tests/support/rules';
import { agentContextAt, branchPath, expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * Issuing tickets, through the real handlers (and the use cases where a test needs a clock): the
 * ticket object, numbering and codes by business day, queues and routing, position and
 * estimates, Idempotency-Key.
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
const { issue, inQueue, next, getTicket } = ticketCalls(() => agent);
const ctxAt = agentContextAt(tenantId, agentId);

describe.concurrent('the ticket object', () => {
  it('has every field; customer and note null when absent; queuedAt = createdAt', async () => {
    const f = await fixture();
    const { ticket } = await inQueue(f, 'G');
    expect(Object.keys(ticket).sort()).toEqual(TICKET_FIELDS);
    expect(ticket).toMatchObject({
      id: expect.stringMatching(ULID),
      branchId: f.branchId,
      queueId: f.queues.G!.id,
      priorityId: f.queues.G!.priorityId,
      number: 1,
      code: 'G-001',
      businessDay: businessDayOf(new Date(), 'Europe/Madrid', 3),
      status: 'waiting',
      customer: null,
      note: null,
      calledAt: null,
      startedAt: null,
      endedAt: null,
      counterId: null,
      servedBy: null,
      recalls: 0,
      transfers: [],
    });
    expect(ticket.createdAt).toMatch(ISO_MS);
    expect(ticket.queuedAt).toBe(ticket.createdAt);
    // ≥ 128 bits: at least 22 base64url characters.
    expect(ticket.publicToken).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  it('keeps customer { name, phone, email, reference } and note', async () => {
    const f = await fixture();
    const customer = { name: 'Ana', phone: '+34 600 000 000', email: 'ana@example.com', reference: 'R-1' };
    const { ticket } = await inQueue(f, 'G', { customer, note: 'wheelchair' });
    expect(ticket.customer).toEqual(customer);
    expect(ticket.note).toBe('wheelchair');
    const { ticket: partial } = await inQueue(f, 'G', { customer: { name: 'Bo' } });
    expect(partial.customer).toEqual({ name: 'Bo' });
    expect(
      (
        await call('POST', `${b(f)}/tickets`, {
          token: agent,
          body: { queueId: f.queues.G!.id, customer: { email: 'x' } },
        })
      ).status,
    ).toBe(400);
  });

  it('publicToken is returned to staff (GET and list)', async () => {
    const f = await fixture();
    const { ticket } = await inQueue(f, 'G');
    expect((await getTicket(f, ticket.id)).ticket.publicToken).toBe(ticket.publicToken);
    const list = await call('GET', `${b(f)}/tickets`, { token: agent });
    expect(list.body.items[0].publicToken).toBe(ticket.publicToken);
  });
});

describe.concurrent('numbering and codes', () => {
  it('numbers 1, 2, 3 … per queue, code = prefix-zero-padded number', async () => {
    const f = await fixture({
      queues: { A: { priority: 'General' }, BC: { priority: 'General' } },
      counters: { D: { queues: ['A', 'BC'] } },
    });
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await inQueue(f, 'A')).ticket.code);
    codes.push((await inQueue(f, 'BC')).ticket.code);
    expect(codes).toEqual(['A-001', 'A-002', 'A-003', 'BC-001']);
  });

  it('pads to 3 digits only: A-1234', async () => {
    const f = await fixture({ queues: { A: { priority: 'General' } }, counters: { D: { queues: ['A'] } } });
    const day = businessDayOf(new Date(), 'Europe/Madrid', 3);
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: { ...sequenceKey(tenantId, f.branchId, f.queues.A!.id), day, epoch: 0, seq: 1233 },
      }),
    );
    const { ticket } = await inQueue(f, 'A');
    expect(ticket.number).toBe(1234);
    expect(ticket.code).toBe('A-1234');
  });

  it('numbering restarts when the business day changes, without the nightly job', async () => {
    const day1 = new Date('2026-03-02T10:00:00.000Z');
    const f = await fixture({ timezone: 'UTC', resetHour: 3, now: day1 });
    const input = { branchId: f.branchId, queueId: f.queues.G!.id };
    const a = await enqueue(ctxAt(day1), input);
    const b2 = await enqueue(ctxAt(new Date(day1.getTime() + 60_000)), input);
    expect([a.ticket.code, b2.ticket.code]).toEqual(['G-001', 'G-002']);
    expect(a.ticket.businessDay).toBe('2026-03-02');
    // 02:59 UTC next morning is still the same business day (resetHour 3) …
    const late = await enqueue(ctxAt(new Date('2026-03-03T02:59:00.000Z')), input);
    expect(late.ticket).toMatchObject({ businessDay: '2026-03-02', code: 'G-003' });
    // … 03:00 starts the next one, at 1.
    const morning = await enqueue(ctxAt(new Date('2026-03-03T03:00:00.000Z')), input);
    expect(morning.ticket).toMatchObject({ businessDay: '2026-03-03', number: 1, code: 'G-001' });
  });

  it('a request whose clock is still on yesterday, landing after today’s first ticket, never rolls numbering back', async () => {
    const f = await fixture({ timezone: 'UTC', resetHour: 3, now: new Date('2026-03-09T10:00:00.000Z') });
    const input = { branchId: f.branchId, queueId: f.queues.G!.id };
    const at = (iso: string) => enqueue(ctxAt(new Date(iso)), input);
    const issued = [
      await at('2026-03-09T10:00:00.000Z'),
      await at('2026-03-09T11:00:00.000Z'),
      // The new business day's first ticket …
      await at('2026-03-10T03:00:00.100Z'),
      // … then a request that read its clock at 02:59:59.9 (yesterday) and writes after it …
      await at('2026-03-10T02:59:59.900Z'),
      // … and the next one of the new day.
      await at('2026-03-10T03:00:01.000Z'),
    ].map((r) => r.ticket);
    expect(issued.map((t) => `${t.businessDay} ${t.code}`)).toEqual([
      '2026-03-09 G-001',
      '2026-03-09 G-002',
      '2026-03-10 G-001',
      '2026-03-10 G-002',
      '2026-03-10 G-003',
    ]);
    // The late request took the queue's clock, not its own: queuedAt never goes back either.
    expect(issued.map((t) => t.queuedAt)).toEqual([...issued.map((t) => t.queuedAt)].sort());
    expect(issued[3]).toMatchObject({
      queuedAt: '2026-03-10T03:00:00.100Z',
      createdAt: '2026-03-10T03:00:00.100Z',
    });
    // At most one ticket per queue, business day, close epoch and number.
    const keys = issued.map((t) => `${t.businessDay}#${t.number}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('businessDay is the branch-local date of (issue time − resetHour)', async () => {
    const at = new Date('2026-01-15T07:30:00.000Z'); // 02:30 in New York (EST)
    const f = await fixture({ timezone: 'America/New_York', resetHour: 3, now: at });
    const input = { branchId: f.branchId, queueId: f.queues.G!.id };
    expect((await enqueue(ctxAt(at), input)).ticket.businessDay).toBe('2026-01-14');
    expect((await enqueue(ctxAt(new Date('2026-01-15T08:00:00.000Z')), input)).ticket.businessDay).toBe(
      '2026-01-15',
    );
  });

  it('a manual close-day restarts numbering within the same business day (codes repeat, ids do not)', async () => {
    const f = await fixture();
    const first = (await inQueue(f, 'G')).ticket;
    const closed = await call('POST', `${b(f)}/close-day`, { token: admin });
    expectStatus(closed, 200);
    const after = (await inQueue(f, 'G')).ticket;
    expect(after.code).toBe(first.code);
    expect(after.businessDay).toBe(first.businessDay);
    expect(after.id).not.toBe(first.id);
  });
});

describe.concurrent('enqueue', () => {
  it('with queueId: that queue, which must be open (paused/closed → 409)', async () => {
    const f = await fixture({
      queues: {
        O: { priority: 'General' },
        P: { priority: 'General', status: 'paused' },
        C: { priority: 'General', status: 'closed' },
      },
      counters: { D: { queues: ['O', 'P', 'C'] } },
    });
    expect((await inQueue(f, 'O')).ticket.queueId).toBe(f.queues.O!.id);
    for (const q of ['P', 'C']) {
      const res = await call('POST', `${b(f)}/tickets`, { token: agent, body: { queueId: f.queues[q]!.id } });
      expectStatus(res, 409, q);
    }
  });

  it('ticket priority = priorityId if given (individual) else the queue’s', async () => {
    const f = await fixture({
      priorities: { Urgent: { rank: 1 }, General: { rank: 3 } },
      queues: { G: { priority: 'General' } },
      counters: { D: { queues: ['G'] } },
    });
    expect((await inQueue(f, 'G')).ticket.priorityId).toBe(f.priorities.General!.id);
    const individual = await inQueue(f, 'G', { priorityId: f.priorities.Urgent!.id });
    expect(individual.ticket.priorityId).toBe(f.priorities.Urgent!.id);
    expect(individual.position).toBe(1);
  });

  it('without queueId, with priorityId: lowest estimated wait, then fewest waiting, then oldest queue; none → 409', async () => {
    // A queue's estimate is round(waiting × 300 ÷ serving counters) (docs/decisions.md).
    const f = await fixture({
      priorities: { P: { rank: 2 }, Q: { rank: 4 } },
      queues: {
        X: { priority: 'P' },
        Y: { priority: 'P' },
        Z: { priority: 'P', status: 'paused' },
        W: { priority: 'Q', status: 'closed' },
      },
      counters: { D1: { queues: ['X', 'Y'] }, D2: { queues: ['Y'] } },
    });
    await inQueue(f, 'X');
    await inQueue(f, 'Y');
    // X: 1 waiting, 1 counter → 300; Y: 1 waiting, 2 counters → 150 → Y.
    expect((await issue(f, { priorityId: f.priorities.P!.id })).ticket.queueId).toBe(f.queues.Y!.id);
    // X 300 = Y round(2 × 300 / 2) = 300: tie → fewest waiting → X.
    expect((await issue(f, { priorityId: f.priorities.P!.id })).ticket.queueId).toBe(f.queues.X!.id);
    // X 600, Y 300 → Y; the paused queue Z (no wait at all) is never chosen.
    expect((await issue(f, { priorityId: f.priorities.P!.id })).ticket.queueId).toBe(f.queues.Y!.id);
    // None open for Q → 409; neither queueId nor priorityId → 400.
    expectStatus(
      await call('POST', `${b(f)}/tickets`, { token: agent, body: { priorityId: f.priorities.Q!.id } }),
      409,
    );
    expectStatus(await call('POST', `${b(f)}/tickets`, { token: agent, body: {} }), 400);
    expectStatus(await call('POST', `${b(f)}/tickets`, { token: agent, body: { note: 'x' } }), 400);
  });

  it('routing ties on wait and waiting go to the oldest queue; no serving counter counts as longest', async () => {
    const f = await fixture({
      priorities: { P: { rank: 2 } },
      queues: { Old: { priority: 'P' }, New: { priority: 'P' }, Unserved: { priority: 'P' } },
      counters: { D1: { queues: ['Old'] }, D2: { queues: ['New'] } },
    });
    expect((await issue(f, { priorityId: f.priorities.P!.id })).ticket.queueId).toBe(f.queues.Old!.id);
    expect((await issue(f, { priorityId: f.priorities.P!.id })).ticket.queueId).toBe(f.queues.New!.id);
    expect((await issue(f, { priorityId: f.priorities.P!.id })).ticket.queueId).toBe(f.queues.Old!.id);
  });

  it('position and estimatedWaitSeconds = round((position − 1) × 300 ÷ serving counters); null when none serves', async () => {
    const f = await fixture({
      queues: { A: { priority: 'General' }, N: { priority: 'General' } },
      counters: { D1: { queues: ['A'] }, D2: { queues: ['A'] } },
    });
    const got = [];
    for (let i = 0; i < 4; i++) {
      const r = await inQueue(f, 'A');
      got.push([r.position, r.estimatedWaitSeconds]);
    }
    expect(got).toEqual([
      [1, 0],
      [2, 150],
      [3, 300],
      [4, 450],
    ]);
    const unserved = await inQueue(f, 'N');
    expect(unserved.position).toBe(1);
    expect(unserved.estimatedWaitSeconds).toBeNull();
    // GET reports the same standing while waiting, null once called.
    const first = (await call('GET', `${b(f)}/tickets`, { token: agent, query: { queueId: f.queues.A!.id } }))
      .body.items;
    const last = first.find((t: any) => t.number === 4);
    expect(await getTicket(f, last.id)).toMatchObject({ position: 4, estimatedWaitSeconds: 450 });
    const called = await next(f, 'D1');
    expect(await getTicket(f, called.body.ticket.id)).toMatchObject({
      position: null,
      estimatedWaitSeconds: null,
    });
    expect(await getTicket(f, last.id)).toMatchObject({ position: 3, estimatedWaitSeconds: 300 });
  });

  it('position counts only tickets call-next would call first (a more urgent individual priority goes ahead)', async () => {
    const f = await fixture({
      priorities: { Urgent: { rank: 1 }, General: { rank: 3 } },
      queues: { G: { priority: 'General' } },
      counters: { D: { queues: ['G'] } },
    });
    await inQueue(f, 'G');
    await inQueue(f, 'G');
    const urgent = await inQueue(f, 'G', { priorityId: f.priorities.Urgent!.id });
    expect(urgent.position).toBe(1);
    const after = await inQueue(f, 'G');
    expect(after.position).toBe(4);
  });
});

describe.concurrent('Idempotency-Key', () => {
  it('same key → same ticket and status; other body → 409; scoped to tenant + user + route', async () => {
    const f = await fixture();
    const key = { 'idempotency-key': `k-${ulid()}` };
    const first = await call('POST', `${b(f)}/tickets`, {
      token: agent,
      headers: key,
      body: { queueId: f.queues.G!.id },
    });
    const again = await call('POST', `${b(f)}/tickets`, {
      token: agent,
      headers: key,
      body: { queueId: f.queues.G!.id },
    });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const list = await call('GET', `${b(f)}/tickets`, { token: agent });
    expect(list.body.items).toHaveLength(1);
    expectStatus(
      await call('POST', `${b(f)}/tickets`, {
        token: agent,
        headers: key,
        body: { queueId: f.queues.G!.id, note: 'x' },
      }),
      409,
    );
    // Another user of the tenant with the same key gets a ticket of their own.
    const other = await mintToken(env.signingKey, { tenantId, role: 'kiosk' });
    const theirs = await call('POST', `${b(f)}/tickets`, {
      token: other,
      headers: key,
      body: { queueId: f.queues.G!.id },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.ticket.id).not.toBe(first.body.ticket.id);
    // The same user and key on another route is another request.
    const called = await call('POST', `${b(f)}/counters/${f.counters['Counter 1']}/call-next`, {
      token: agent,
      headers: key,
    });
    expect(called.status).toBe(200);
  });

  it('a replay returns the original status unchanged (204 stays 204)', async () => {
    const f = await fixture();
    const key = { 'idempotency-key': `k-${ulid()}` };
    const none = await call('POST', `${b(f)}/counters/${f.counters['Counter 1']}/call-next`, {
      token: agent,
      headers: key,
    });
    expect(none.status).toBe(204);
    await inQueue(f, 'G');
    const replay = await call('POST', `${b(f)}/counters/${f.counters['Counter 1']}/call-next`, {
      token: agent,
      headers: key,
    });
    expect(replay.status).toBe(204);
    expect((await next(f, 'Counter 1')).status).toBe(200);
  });
});

describe.concurrent('observed service time', () => {
  it('avgServiceSeconds is 300 until observed, then the observed average drives estimates', async () => {
    const t0 = new Date(Date.now() - 3_600_000);
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const f = await fixture({ counters: { D: { queues: ['G'] } }, now: t0 });
    const input = { branchId: f.branchId, queueId: f.queues.G!.id };
    const q = async () => (await call('GET', `${b(f)}/queues/${f.queues.G!.id}`, { token: admin })).body;
    expect((await q()).avgServiceSeconds).toBe(300);
    const { applyTicketAction } = await import('#core/usecases/tickets/ticket-actions');
    const a = await enqueue(ctxAt(at(0)), input);
    const c = await enqueue(ctxAt(at(1)), input);
    await callNext(ctxAt(at(10)), f.branchId, f.counters.D!);
    await applyTicketAction(ctxAt(at(20)), f.branchId, a.ticket.id, 'start');
    await applyTicketAction(ctxAt(at(140)), f.branchId, a.ticket.id, 'complete'); // 120 s from startedAt
    await callNext(ctxAt(at(150)), f.branchId, f.counters.D!);
    await applyTicketAction(ctxAt(at(210)), f.branchId, c.ticket.id, 'complete'); // 60 s from calledAt
    expect((await q()).avgServiceSeconds).toBe(90);
    await inQueue(f, 'G');
    const second = await inQueue(f, 'G');
    expect(second.estimatedWaitSeconds).toBe(90);
  });
});
