import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { sequenceKey } from '#core/adapters/dynamo/items/queue';
import { businessDayOf } from '#core/domain/business-day';
import { callNext } from '#core/usecases/tickets/call-next';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import {
  ISO_MS,
  TICKET_ACTION_RULES,
  TICKET_ACTIONS,
  TICKET_FIELDS,
  TICKET_STATUSES,
  ULID,
} from '#tests/support/rules';
import { agentContextAt, branchPath, expectStatus, ticketCalls } from '#tests/support/ticket-calls';
import { mintToken } from '#tests/support/tokens';

/**
 * The ticket routes through the real handlers (and the use cases where a test needs a clock): a
 * ticket's way from the kiosk to done, then the rules one by one — the ticket object, numbering
 * and codes by business day, routing, position and estimates, Idempotency-Key, call-next and its
 * order, the ticket actions, transfer, reassign and the ticket list. The board and the public
 * status page: tickets-board.test.ts; concurrency: tickets-concurrency.test.ts.
 */

let env: TestEnv;
const tenantId = ulid();
const agentId = ulid();
let agent: string;
let admin: string;
let kiosk: string;
/** The branch of the walk from kiosk to done; the tests of the rules build branches of their own. */
let f: BranchFixture;

beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({
    tenantId,
    priorities: { Preferential: { rank: 1, targetWaitMinutes: 10 }, General: { rank: 3 } },
    queues: { P: { priority: 'Preferential' }, G: { priority: 'General' } },
    counters: { 'Counter 1': { queues: ['P', 'G'] }, 'Counter 2': { queues: ['G'] } },
  });
  agent = await mintToken(env.signingKey, { tenantId, userId: agentId, role: 'agent' });
  admin = await mintToken(env.signingKey, { tenantId, role: 'admin' });
  kiosk = await mintToken(env.signingKey, { tenantId, role: 'kiosk' });
});

const base = () => `/v1/branches/${f.branchId}`;
const fixture = (options: Parameters<typeof createBranchFixture>[0] = {}) =>
  createBranchFixture({ tenantId, agingMinutes: 0, ...options });
const b = branchPath;
const { issue, inQueue, next, act, getTicket } = ticketCalls(() => agent);
const ctxAt = agentContextAt(tenantId, agentId);

describe('a ticket from kiosk to done', () => {
  it('issues, calls, starts, completes, and shows up on the board and the public page', async () => {
    const issued = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      body: { queueId: f.queues.G!.id },
    });
    expect(issued.status).toBe(201);
    const { ticket } = issued.body;
    expect(ticket).toMatchObject({
      status: 'waiting',
      queueId: f.queues.G!.id,
      priorityId: f.queues.G!.priorityId,
    });
    expect(ticket.code).toMatch(/^G-\d{3}$/);
    expect(ticket.publicToken).toHaveLength(64);
    expect(issued.body.position).toBeGreaterThanOrEqual(1);

    const pub = await call('GET', `/v1/public/tickets/${ticket.publicToken}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({
      code: ticket.code,
      status: 'waiting',
      queueName: 'Queue G',
      counterName: null,
    });

    const called = await call('POST', `${base()}/counters/${f.counters['Counter 2']}/call-next`, {
      token: agent,
    });
    expect(called.status).toBe(200);
    expect(called.body.ticket).toMatchObject({
      id: ticket.id,
      status: 'called',
      counterId: f.counters['Counter 2'],
    });

    const busy = await call('POST', `${base()}/counters/${f.counters['Counter 2']}/call-next`, {
      token: agent,
    });
    expect(busy.status).toBe(409);

    const board = await call('GET', `${base()}/board`, { token: agent });
    expect(board.status).toBe(200);
    expect(board.body.counters.find((c: any) => c.id === f.counters['Counter 2']).current).toMatchObject({
      code: ticket.code,
      status: 'called',
    });
    expect(board.body.recentlyCalled[0]).toMatchObject({ code: ticket.code, counterName: 'Counter 2' });
    const again = await call('GET', `${base()}/board`, {
      token: agent,
      headers: { 'if-none-match': board.headers.etag! },
    });
    expect(again.status).toBe(304);

    const pubCalled = await call('GET', `/v1/public/tickets/${ticket.publicToken}`);
    expect(pubCalled.body).toMatchObject({ status: 'called', counterName: 'Counter 2', position: null });

    const started = await call('POST', `${base()}/tickets/${ticket.id}/start`, { token: agent });
    expect(started.body.ticket.status).toBe('serving');
    const noShow = await call('POST', `${base()}/tickets/${ticket.id}/no-show`, { token: agent });
    expect(noShow.status).toBe(409);
    const done = await call('POST', `${base()}/tickets/${ticket.id}/complete`, { token: agent });
    expect(done.body.ticket).toMatchObject({ status: 'done' });
    expect(done.body.ticket.endedAt).toBeTruthy();

    const next = await call('POST', `${base()}/counters/${f.counters['Counter 2']}/call-next`, {
      token: agent,
    });
    expect(next.status).toBe(204);
  });

  it('routes by priority to the open queue of that priority', async () => {
    const res = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      body: { priorityId: f.priorities.Preferential!.id },
    });
    expect(res.status).toBe(201);
    expect(res.body.ticket.queueId).toBe(f.queues.P!.id);
    expect(res.body.ticket.code).toMatch(/^P-/);
  });

  it('rejects enqueue without queue or priority, and unknown fields', async () => {
    expect((await call('POST', `${base()}/tickets`, { token: kiosk, body: {} })).status).toBe(400);
    const unknown = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      body: { queueId: f.queues.G!.id, customer: { name: 'Ana', ssn: '1' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toContainEqual({ path: 'body.customer.ssn', message: 'Unknown field' });
  });

  it('answers 404 for another tenant’s branch and 403 outside the branch scope', async () => {
    const other = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
    expect(
      (await call('POST', `${base()}/tickets`, { token: other, body: { queueId: f.queues.G!.id } })).status,
    ).toBe(404);
    const scoped = await mintToken(env.signingKey, {
      tenantId: f.tenantId,
      role: 'agent',
      branches: [ulid()],
    });
    expect(
      (await call('POST', `${base()}/tickets`, { token: scoped, body: { queueId: f.queues.G!.id } })).status,
    ).toBe(403);
  });

  it('replays an Idempotency-Key and refuses it with another body', async () => {
    const headers = { 'idempotency-key': `k-${ulid()}` };
    const first = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      headers,
      body: { queueId: f.queues.G!.id },
    });
    const second = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      headers,
      body: { queueId: f.queues.G!.id },
    });
    expect(second.status).toBe(201);
    expect(second.body.ticket.id).toBe(first.body.ticket.id);
    const other = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      headers,
      body: { queueId: f.queues.P!.id },
    });
    expect(other.status).toBe(409);
  });

  it('transfers a called ticket back to waiting in another queue and frees the counter', async () => {
    const issued = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      body: { queueId: f.queues.P!.id },
    });
    const counter = f.counters['Counter 1'];
    // Counter 1 serves P first (rank 1): drain until our ticket is called.
    let called: any;
    do {
      called = await call('POST', `${base()}/counters/${counter}/call-next`, { token: agent });
      if (called.body.ticket.id !== issued.body.ticket.id) {
        await call('POST', `${base()}/tickets/${called.body.ticket.id}/complete`, { token: agent });
      }
    } while (called.body.ticket.id !== issued.body.ticket.id);
    const moved = await call('POST', `${base()}/tickets/${issued.body.ticket.id}/transfer`, {
      token: agent,
      body: { queueId: f.queues.G!.id, placement: 'back' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.ticket).toMatchObject({
      status: 'waiting',
      queueId: f.queues.G!.id,
      code: issued.body.ticket.code,
    });
    expect(moved.body.ticket.priorityId).toBe(f.queues.G!.priorityId);
    expect(moved.body.ticket.transfers).toHaveLength(1);
    expect(moved.body.ticket.queuedAt > issued.body.ticket.queuedAt).toBe(true);
    const board = await call('GET', `${base()}/board`, { token: agent });
    expect(board.body.counters.find((c: any) => c.id === counter).current).toBeNull();
  });
});

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

describe('Idempotency-Key beyond the happy path', () => {
  it('replays a 4xx as it was and carries a fresh request id on replays', async () => {
    const headers = { 'idempotency-key': `k-${ulid()}` };
    const closed = await call('PATCH', `/v1/branches/${f.branchId}/queues/${f.queues.P!.id}`, {
      token: await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' }),
      body: { status: 'closed' },
    });
    expect(closed.status).toBe(200);
    const first = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      headers,
      body: { queueId: f.queues.P!.id },
    });
    expect(first.status).toBe(409);
    const replay = await call('POST', `${base()}/tickets`, {
      token: kiosk,
      headers,
      body: { queueId: f.queues.P!.id },
    });
    expect(replay.status).toBe(409);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['x-request-id']).toBeTruthy();
    expect(replay.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
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
    await callNext(ctxAt(at(10)), { branchId: f.branchId, counterId: f.counters.D! });
    await applyTicketAction(ctxAt(at(20)), { branchId: f.branchId, ticketId: a.ticket.id, action: 'start' });
    await applyTicketAction(ctxAt(at(140)), {
      branchId: f.branchId,
      ticketId: a.ticket.id,
      action: 'complete',
    }); // 120 s from startedAt
    await callNext(ctxAt(at(150)), { branchId: f.branchId, counterId: f.counters.D! });
    await applyTicketAction(ctxAt(at(210)), {
      branchId: f.branchId,
      ticketId: c.ticket.id,
      action: 'complete',
    }); // 60 s from calledAt
    expect((await q()).avgServiceSeconds).toBe(90);
    await inQueue(f, 'G');
    const second = await inQueue(f, 'G');
    expect(second.estimatedWaitSeconds).toBe(90);
  });
});

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
      const t = await callNext(ctxAt(now), { branchId: f.branchId, counterId: f.counters.D! });
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
    const first = await callNext(ctxAt(new Date(now.getTime() + 1000)), {
      branchId: f.branchId,
      counterId: f.counters.D!,
    });
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
