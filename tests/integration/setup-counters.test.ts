import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { counterKey } from '#core/adapters/dynamo/items/counter';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ISO_MS, ULID } from '#tests/support/rules';
import {
  allPages,
  created,
  giveCurrentTicket,
  newTenant,
  storedItem,
  tenantWithBranch,
} from '#tests/support/setup-fixtures';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

/** A tenant with a branch and two queues, and a second branch with one queue. */
async function world() {
  const { api, priority, branch, ...tenant } = await tenantWithBranch(env);
  const a = await api.queue(branch.id, { prefix: 'A', priorityId: priority.id });
  const b = await api.queue(branch.id, { prefix: 'B', priorityId: priority.id });
  const elsewhere = await api.branch({ name: 'Elsewhere' });
  const foreign = await api.queue(elsewhere.id, { prefix: 'F', priorityId: priority.id });
  const path = `/v1/branches/${branch.id}/counters`;
  return { ...tenant, api, priority, branch, a, b, elsewhere, foreign, path };
}
type World = Awaited<ReturnType<typeof world>>;

describe('POST /v1/branches/{branchId}/counters', () => {
  it('creates a free counter that may steal by default', async () => {
    const w = await world();
    const res = await call('POST', w.path, {
      token: w.token,
      body: { name: 'Desk 1', queueIds: [w.a.id, w.b.id] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(ULID),
      branchId: w.branch.id,
      name: 'Desk 1',
      queueIds: [w.a.id, w.b.id],
      allowStealing: true,
      currentTicketId: null,
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
    });
    const item = await storedItem(counterKey(w.tenantId, w.branch.id, res.body.id));
    expect(item).toMatchObject({ queueIds: [w.a.id, w.b.id] });
    expect(item).not.toHaveProperty('currentTicketId');
  });

  it('keeps allowStealing false', async () => {
    const w = await world();
    const c = await w.api.counter(w.branch.id, { queueIds: [w.a.id], allowStealing: false });
    expect(c.allowStealing).toBe(false);
  });

  it('400 for another branch’s queue, an unknown queue or a deleted queue, naming the bad entries', async () => {
    const w = await world();
    const deleted = await w.api.queue(w.branch.id, { prefix: 'D', priorityId: w.priority.id });
    expect(
      (await call('DELETE', `/v1/branches/${w.branch.id}/queues/${deleted.id}`, { token: w.token })).status,
    ).toBe(204);
    for (const bad of [w.foreign.id, ulid(), deleted.id]) {
      const res = await call('POST', w.path, {
        token: w.token,
        body: { name: 'D', queueIds: [w.a.id, bad] },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'body.queueIds.1', message: 'Not a queue of this branch' }]);
    }
  });

  it.each([
    ['no queues', () => ({ queueIds: [] }), 'body.queueIds'],
    ['a repeated queue', (w: World) => ({ queueIds: [w.a.id, w.a.id] }), 'body.queueIds'],
    ['a queue id that is not a ULID', () => ({ queueIds: ['nope'] }), 'body.queueIds.0'],
    ['allowStealing as a string', () => ({ allowStealing: 'yes' }), 'body.allowStealing'],
    ['an unknown field', () => ({ currentTicketId: null }), 'body.currentTicketId'],
  ])('400 for %s', async (_, extra, path) => {
    const w = await world();
    const res = await call('POST', w.path, {
      token: w.token,
      body: { name: 'D', queueIds: [w.a.id], ...extra(w) },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('404 for another tenant; 403 outside the scope or without counters:create', async () => {
    const w = await world();
    const body = { name: 'D', queueIds: [w.a.id] };
    expect((await call('POST', w.path, { token: (await newTenant(env)).token, body })).status).toBe(404);
    const outside = await mintToken(env.signingKey, {
      tenantId: w.tenantId,
      role: 'manager',
      branches: [ulid()],
    });
    expect((await call('POST', w.path, { token: outside, body })).status).toBe(403);
    const agent = await mintToken(env.signingKey, { tenantId: w.tenantId, role: 'agent' });
    expect((await call('POST', w.path, { token: agent, body })).status).toBe(403);
  });
});

describe('GET /v1/branches/{branchId}/counters', () => {
  it('lists oldest first, in pages, with the current ticket', async () => {
    const w = await world();
    const made = [];
    for (const name of ['C1', 'C2', 'C3'])
      made.push(await w.api.counter(w.branch.id, { name, queueIds: [w.a.id] }));
    await w.api.counter(w.elsewhere.id, { name: 'Other branch', queueIds: [w.foreign.id] });
    const ticketId = await giveCurrentTicket(w.tenantId, w.branch.id, made[2].id);

    const { items, pages } = await allPages(w.token, w.path, 2);
    expect(pages).toBe(2);
    expect(items.map((c) => c.name)).toEqual(['C1', 'C2', 'C3']);
    expect(items[2].currentTicketId).toBe(ticketId);
    expect(items[0].currentTicketId).toBeNull();
  });

  it('400 for a queue-list cursor; the agent role may read', async () => {
    const w = await world();
    for (const name of ['C1', 'C2']) await w.api.counter(w.branch.id, { name, queueIds: [w.a.id] });
    const queueCursor = (
      await call('GET', `/v1/branches/${w.branch.id}/queues`, { token: w.token, query: { limit: '1' } })
    ).body.nextCursor;
    expect((await call('GET', w.path, { token: w.token, query: { cursor: queueCursor } })).status).toBe(400);
    const agent = await mintToken(env.signingKey, { tenantId: w.tenantId, role: 'agent' });
    expect((await call('GET', w.path, { token: agent })).body.items).toHaveLength(2);
  });
});

describe('GET/PATCH/DELETE /v1/branches/{branchId}/counters/{counterId}', () => {
  it('reads one; 404 via another branch, tenant or unknown id; 403 outside the scope', async () => {
    const w = await world();
    const c = await w.api.counter(w.branch.id, { queueIds: [w.a.id] });
    const res = await call('GET', `${w.path}/${c.id}`, { token: w.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(c);
    expect(
      (await call('GET', `/v1/branches/${w.elsewhere.id}/counters/${c.id}`, { token: w.token })).status,
    ).toBe(404);
    expect((await call('GET', `${w.path}/${c.id}`, { token: (await newTenant(env)).token })).status).toBe(
      404,
    );
    expect((await call('GET', `${w.path}/${ulid()}`, { token: w.token })).status).toBe(404);
    const outside = await mintToken(env.signingKey, {
      tenantId: w.tenantId,
      role: 'manager',
      branches: [w.elsewhere.id],
    });
    for (const [method, body] of [['GET'], ['PATCH', { name: 'X' }], ['DELETE']] as const) {
      expect((await call(method, `${w.path}/${c.id}`, { token: outside, body })).status).toBe(403);
    }
  });

  it('patches name, queues and allowStealing — also while it serves a ticket', async () => {
    const w = await world();
    const c = await w.api.counter(w.branch.id, { queueIds: [w.a.id] });
    const ticketId = await giveCurrentTicket(w.tenantId, w.branch.id, c.id);
    const res = await call('PATCH', `${w.path}/${c.id}`, {
      token: w.token,
      body: { name: 'Window 2', queueIds: [w.b.id, w.a.id], allowStealing: false },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Window 2',
      queueIds: [w.b.id, w.a.id],
      allowStealing: false,
      currentTicketId: ticketId,
    });
    expect((await call('GET', `${w.path}/${c.id}`, { token: w.token })).body).toEqual(res.body);
  });

  it('400 for another branch’s queue, an empty list, an empty PATCH', async () => {
    const w = await world();
    const c = await w.api.counter(w.branch.id, { queueIds: [w.a.id] });
    for (const body of [{ queueIds: [w.foreign.id] }, { queueIds: [] }, {}]) {
      expect((await call('PATCH', `${w.path}/${c.id}`, { token: w.token, body })).status).toBe(400);
    }
  });

  it('releases the queues it drops, so they can be deleted', async () => {
    const w = await world();
    const c = await w.api.counter(w.branch.id, { queueIds: [w.a.id, w.b.id] });
    const queuePath = `/v1/branches/${w.branch.id}/queues/${w.a.id}`;
    expect((await call('DELETE', queuePath, { token: w.token })).status).toBe(409);
    expect(
      (await call('PATCH', `${w.path}/${c.id}`, { token: w.token, body: { queueIds: [w.b.id] } })).status,
    ).toBe(200);
    expect((await call('DELETE', queuePath, { token: w.token })).status).toBe(204);
  });

  it('DELETE → 409 while it has a current ticket; 204 when free; then 404 and its queues free', async () => {
    const w = await world();
    const c = await w.api.counter(w.branch.id, { name: 'Busy desk', queueIds: [w.a.id] });
    await giveCurrentTicket(w.tenantId, w.branch.id, c.id);
    const busy = await call('DELETE', `${w.path}/${c.id}`, { token: w.token });
    expect(busy.status).toBe(409);
    expect(busy.body.type).toMatch(/counter-busy$/);

    const free = await w.api.counter(w.branch.id, { name: 'Free desk', queueIds: [w.b.id] });
    expect((await call('DELETE', `${w.path}/${free.id}`, { token: w.token })).status).toBe(204);
    expect((await call('GET', `${w.path}/${free.id}`, { token: w.token })).status).toBe(404);
    expect(
      (await call('PATCH', `${w.path}/${free.id}`, { token: w.token, body: { name: 'X' } })).status,
    ).toBe(404);
    expect((await call('DELETE', `${w.path}/${free.id}`, { token: w.token })).status).toBe(404);
    expect(
      (await call('GET', w.path, { token: w.token })).body.items.map((x: { id: string }) => x.id),
    ).toEqual([c.id]);
    expect(
      (await call('DELETE', `/v1/branches/${w.branch.id}/queues/${w.b.id}`, { token: w.token })).status,
    ).toBe(204);
  });
});

describe('counters: shapes and rules', () => {
  let token: string;
  beforeAll(async () => {
    token = (await newTenant(env)).token;
  });

  it('201 { id, branchId, name, queueIds, allowStealing, currentTicketId, createdAt, updatedAt }; allowStealing default true', async () => {
    const p = await created(token, '/v1/priorities', { name: 'C-prio', rank: 2 });
    const b = await created(token, '/v1/branches', { name: 'C', timezone: 'UTC' });
    const q = await created(token, `/v1/branches/${b.id}/queues`, {
      name: 'Q',
      prefix: 'Q',
      priorityId: p.id,
    });
    const c = await created(token, `/v1/branches/${b.id}/counters`, { name: 'Desk', queueIds: [q.id] });
    expect(c).toEqual({
      id: expect.stringMatching(ULID),
      branchId: b.id,
      name: 'Desk',
      queueIds: [q.id],
      allowStealing: true,
      currentTicketId: null,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
    const c2 = await created(token, `/v1/branches/${b.id}/counters`, {
      name: 'Desk 2',
      queueIds: [q.id],
      allowStealing: false,
    });
    expect(c2.allowStealing).toBe(false);

    // currentTicketId shows the called ticket.
    const t = await call('POST', `/v1/branches/${b.id}/tickets`, { token, body: { queueId: q.id } });
    await call('POST', `/v1/branches/${b.id}/counters/${c.id}/call-next`, { token });
    const got = await call('GET', `/v1/branches/${b.id}/counters/${c.id}`, { token });
    expect(got.body.currentTicketId).toBe(t.body.ticket.id);
    expect((await call('DELETE', `/v1/branches/${b.id}/counters/${c.id}`, { token })).status).toBe(409);
  });

  it('queueIds: same branch, ≥ 1; another branch’s queue → 400', async () => {
    const p = await created(token, '/v1/priorities', { name: 'C-prio2', rank: 2 });
    const b1 = await created(token, '/v1/branches', { name: 'B1', timezone: 'UTC' });
    const b2 = await created(token, '/v1/branches', { name: 'B2', timezone: 'UTC' });
    const q2 = await created(token, `/v1/branches/${b2.id}/queues`, {
      name: 'Q',
      prefix: 'Q',
      priorityId: p.id,
    });
    for (const queueIds of [[], [q2.id], [ulid()]]) {
      const res = await call('POST', `/v1/branches/${b1.id}/counters`, {
        token,
        body: { name: 'x', queueIds },
      });
      expect(res.status, JSON.stringify(queueIds)).toBe(400);
    }
    const q1 = await created(token, `/v1/branches/${b1.id}/queues`, {
      name: 'Q',
      prefix: 'Q',
      priorityId: p.id,
    });
    const c = await created(token, `/v1/branches/${b1.id}/counters`, { name: 'x', queueIds: [q1.id] });
    const patch = await call('PATCH', `/v1/branches/${b1.id}/counters/${c.id}`, {
      token,
      body: { queueIds: [q1.id, q2.id] },
    });
    expect(patch.status).toBe(400);
  });
});
