import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
let f: BranchFixture;
let agent: string;
let kiosk: string;

beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({
    priorities: { Preferential: { rank: 1, targetWaitMinutes: 10 }, General: { rank: 3 } },
    queues: { P: { priority: 'Preferential' }, G: { priority: 'General' } },
    counters: { 'Counter 1': { queues: ['P', 'G'] }, 'Counter 2': { queues: ['G'] } },
  });
  agent = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'agent' });
  kiosk = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'kiosk' });
});

const base = () => `/v1/branches/${f.branchId}`;

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
