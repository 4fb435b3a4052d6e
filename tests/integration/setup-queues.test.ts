import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { prefixClaimKey, priorityRef, queueKey } from '#core/adapters/dynamo/items/queue';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ISO_MS, ULID } from '#tests/support/rules';
import {
  addWaiting,
  allPages,
  created,
  newTenant,
  setupApi,
  storedItem,
  tenantWithBranch,
} from '#tests/support/setup-fixtures';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

/** A tenant with a branch and a priority to build queues on. */
async function world() {
  const w = await tenantWithBranch(env, { rank: 2, targetWaitMinutes: 12 });
  return { ...w, path: `/v1/branches/${w.branch.id}/queues` };
}

describe('POST /v1/branches/{branchId}/queues', () => {
  it('creates an open queue with live figures, its prefix claim and its priority copies', async () => {
    const w = await world();
    const res = await call('POST', w.path, {
      token: w.token,
      body: { name: 'General', prefix: 'G', priorityId: w.priority.id },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      branchId: w.branch.id,
      name: 'General',
      prefix: 'G',
      priorityId: w.priority.id,
      status: 'open',
      description: null,
      displayOrder: null,
      waiting: 0,
      estimatedWaitSeconds: null,
      avgServiceSeconds: 300,
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
    });
    expect(await storedItem(queueKey(w.tenantId, w.branch.id, res.body.id))).toMatchObject({
      priorityRank: 2,
      targetWaitMinutes: 12,
      refPk: priorityRef(w.tenantId, w.priority.id),
      refSk: res.body.id,
    });
    expect(await storedItem(prefixClaimKey(w.tenantId, w.branch.id, 'G'))).toMatchObject({
      queueId: res.body.id,
    });
  });

  it('takes status and description', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, {
      prefix: 'ABC',
      priorityId: w.priority.id,
      status: 'paused',
      description: 'Long procedures',
    });
    expect(q).toMatchObject({ prefix: 'ABC', status: 'paused', description: 'Long procedures' });
  });

  it.each([
    ['a lower-case prefix', { prefix: 'g' }, 'body.prefix'],
    ['a 4-letter prefix', { prefix: 'ABCD' }, 'body.prefix'],
    ['a prefix with a digit', { prefix: 'A1' }, 'body.prefix'],
    ['an empty prefix', { prefix: '' }, 'body.prefix'],
    ['an unknown status', { status: 'busy' }, 'body.status'],
    ['a priorityId that is not a ULID', { priorityId: 'x' }, 'body.priorityId'],
    ['an unknown field', { waiting: 3 }, 'body.waiting'],
  ])('400 for %s', async (_, extra, path) => {
    const w = await world();
    const body = { name: 'Q', prefix: 'Q', priorityId: w.priority.id, ...extra };
    const res = await call('POST', w.path, { token: w.token, body });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('400 for a priority that does not exist or is another tenant’s', async () => {
    const w = await world();
    const foreign = await setupApi((await newTenant(env)).token).priority();
    for (const priorityId of [ulid(), foreign.id]) {
      const res = await call('POST', w.path, {
        token: w.token,
        body: { name: 'Q', prefix: 'Q', priorityId },
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ path: 'body.priorityId', message: 'No such priority' }]);
    }
  });

  it('409 for a prefix already used in the branch; the same prefix is fine in another branch', async () => {
    const w = await world();
    await w.api.queue(w.branch.id, { prefix: 'A', priorityId: w.priority.id });
    const dup = await call('POST', w.path, {
      token: w.token,
      body: { name: 'Q', prefix: 'A', priorityId: w.priority.id },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.type).toMatch(/duplicate-prefix$/);
    const other = await w.api.branch({ name: 'Other' });
    await w.api.queue(other.id, { prefix: 'A', priorityId: w.priority.id });
  });

  it('404 for another tenant’s or a deleted branch; 403 outside the branch scope', async () => {
    const w = await world();
    const body = { name: 'Q', prefix: 'Q', priorityId: w.priority.id };
    const other = await newTenant(env);
    expect((await call('POST', w.path, { token: other.token, body })).status).toBe(404);
    const outside = await mintToken(env.signingKey, {
      tenantId: w.tenantId,
      role: 'manager',
      branches: [ulid()],
    });
    const res = await call('POST', w.path, { token: outside, body });
    expect(res.status).toBe(403);
    expect(res.body.type).toMatch(/branch-scope$/);
    expect((await call('DELETE', `/v1/branches/${w.branch.id}`, { token: w.token })).status).toBe(204);
    expect((await call('POST', w.path, { token: w.token, body })).status).toBe(404);
  });
});

describe('GET /v1/branches/{branchId}/queues', () => {
  it('lists the branch’s queues oldest first with live waiting counts and estimates, in pages', async () => {
    const w = await world();
    const queues = [];
    for (const prefix of ['A', 'B', 'C'])
      queues.push(await w.api.queue(w.branch.id, { prefix, priorityId: w.priority.id }));
    await w.api.counter(w.branch.id, { queueIds: [queues[1].id] });
    await addWaiting(w.tenantId, w.branch.id, queues[1].id, 2, 4);

    const { items, pages } = await allPages(w.token, w.path, 2);
    expect(pages).toBe(2);
    expect(items.map((q) => q.prefix)).toEqual(['A', 'B', 'C']);
    expect(items[1]).toMatchObject({ waiting: 4, estimatedWaitSeconds: 4 * 300, avgServiceSeconds: 300 });
    expect(items[0]).toMatchObject({ waiting: 0, estimatedWaitSeconds: null });
  });

  it('400 for a cursor of another branch; 404 for another tenant; 403 outside the scope', async () => {
    const w = await world();
    const second = await w.api.branch({ name: 'Second' });
    for (const b of [w.branch, second]) {
      for (const prefix of ['A', 'B']) await w.api.queue(b.id, { prefix, priorityId: w.priority.id });
    }
    const cursor = (
      await call('GET', `/v1/branches/${second.id}/queues`, { token: w.token, query: { limit: '1' } })
    ).body.nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await call('GET', w.path, { token: w.token, query: { cursor } })).status).toBe(400);

    expect((await call('GET', w.path, { token: (await newTenant(env)).token })).status).toBe(404);
    const outside = await mintToken(env.signingKey, {
      tenantId: w.tenantId,
      role: 'agent',
      branches: [second.id],
    });
    expect((await call('GET', w.path, { token: outside })).status).toBe(403);
    expect((await call('GET', `/v1/branches/${second.id}/queues`, { token: outside })).status).toBe(200);
  });
});

describe('GET/PATCH/DELETE /v1/branches/{branchId}/queues/{queueId}', () => {
  it('reads one; 404 via another branch, another tenant or an unknown id; 403 outside the scope', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
    const res = await call('GET', `${w.path}/${q.id}`, { token: w.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(q);

    const other = await w.api.branch({ name: 'Other' });
    expect((await call('GET', `/v1/branches/${other.id}/queues/${q.id}`, { token: w.token })).status).toBe(
      404,
    );
    expect((await call('GET', `${w.path}/${q.id}`, { token: (await newTenant(env)).token })).status).toBe(
      404,
    );
    expect((await call('GET', `${w.path}/${ulid()}`, { token: w.token })).status).toBe(404);
    const outside = await mintToken(env.signingKey, {
      tenantId: w.tenantId,
      role: 'manager',
      branches: [other.id],
    });
    for (const [method, body] of [['GET'], ['PATCH', { name: 'X' }], ['DELETE']] as const) {
      expect((await call(method, `${w.path}/${q.id}`, { token: outside, body })).status).toBe(403);
    }
  });

  it('patches name, status and description', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id, description: 'x' });
    const res = await call('PATCH', `${w.path}/${q.id}`, {
      token: w.token,
      body: { name: 'Renamed', status: 'closed', description: null },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', status: 'closed', description: null, prefix: 'G' });
    expect((await call('GET', `${w.path}/${q.id}`, { token: w.token })).body).toEqual(res.body);
  });

  it('displayOrder: 0–9999 or null (by name), patched and cleared', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id, displayOrder: 2 });
    expect(q.displayOrder).toBe(2);
    for (const displayOrder of [-1, 10_000, 1.5, '1']) {
      const res = await call('PATCH', `${w.path}/${q.id}`, { token: w.token, body: { displayOrder } });
      expect(res.status, String(displayOrder)).toBe(400);
    }
    // Stored, not only answered: a read sees each change.
    const read = async () => (await call('GET', `${w.path}/${q.id}`, { token: w.token })).body.displayOrder;
    await call('PATCH', `${w.path}/${q.id}`, { token: w.token, body: { displayOrder: 5 } });
    expect(await read()).toBe(5);
    const res = await call('PATCH', `${w.path}/${q.id}`, { token: w.token, body: { displayOrder: null } });
    expect(res.body).toMatchObject({ displayOrder: null });
    expect(await read()).toBeNull();
  });

  it('moves the prefix claim: the old prefix is free again, a taken one is 409', async () => {
    const w = await world();
    const a = await w.api.queue(w.branch.id, { prefix: 'A', priorityId: w.priority.id });
    await w.api.queue(w.branch.id, { prefix: 'B', priorityId: w.priority.id });
    const taken = await call('PATCH', `${w.path}/${a.id}`, { token: w.token, body: { prefix: 'B' } });
    expect(taken.status).toBe(409);
    expect(taken.body.type).toMatch(/duplicate-prefix$/);

    const moved = await call('PATCH', `${w.path}/${a.id}`, { token: w.token, body: { prefix: 'Z' } });
    expect(moved.status).toBe(200);
    expect(moved.body.prefix).toBe('Z');
    expect(await storedItem(prefixClaimKey(w.tenantId, w.branch.id, 'A'))).toBeUndefined();
    await w.api.queue(w.branch.id, { prefix: 'A', priorityId: w.priority.id });
    expect(
      (
        await call('PATCH', `${w.path}/${a.id}`, {
          token: w.token,
          body: { prefix: 'Z', name: 'Same prefix' },
        })
      ).status,
    ).toBe(200);
  });

  it('moves to another priority: copies its rank and target, and frees the old priority', async () => {
    const w = await world();
    const urgent = await w.api.priority({ name: 'Urgent', rank: 1, targetWaitMinutes: 5 });
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
    const res = await call('PATCH', `${w.path}/${q.id}`, { token: w.token, body: { priorityId: urgent.id } });
    expect(res.status).toBe(200);
    expect(res.body.priorityId).toBe(urgent.id);
    expect(await storedItem(queueKey(w.tenantId, w.branch.id, q.id))).toMatchObject({
      priorityRank: 1,
      targetWaitMinutes: 5,
      refPk: priorityRef(w.tenantId, urgent.id),
    });
    expect((await call('DELETE', `/v1/priorities/${urgent.id}`, { token: w.token })).status).toBe(409);
    expect((await call('DELETE', `/v1/priorities/${w.priority.id}`, { token: w.token })).status).toBe(204);

    const unknown = await call('PATCH', `${w.path}/${q.id}`, {
      token: w.token,
      body: { priorityId: ulid() },
    });
    expect(unknown.status).toBe(400);
  });

  it('400 for an empty PATCH, a bad prefix and unknown fields', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
    for (const body of [{}, { prefix: 'abc' }, { branchId: ulid() }]) {
      expect((await call('PATCH', `${w.path}/${q.id}`, { token: w.token, body })).status).toBe(400);
    }
  });

  it('DELETE → 409 while tickets wait, 409 while a counter has it, then 204 and gone', async () => {
    const w = await world();
    const q = await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
    const spare = await w.api.queue(w.branch.id, { prefix: 'S', priorityId: w.priority.id });
    const counter = await w.api.counter(w.branch.id, { name: 'Desk 7', queueIds: [q.id, spare.id] });

    await addWaiting(w.tenantId, w.branch.id, q.id, 2, 1);
    const waiting = await call('DELETE', `${w.path}/${q.id}`, { token: w.token });
    expect(waiting.status).toBe(409);
    expect(waiting.body.type).toMatch(/tickets-waiting$/);
    await addWaiting(w.tenantId, w.branch.id, q.id, 2, -1);

    const inUse = await call('DELETE', `${w.path}/${q.id}`, { token: w.token });
    expect(inUse.status).toBe(409);
    expect(inUse.body.type).toMatch(/queue-in-use$/);
    expect(inUse.body.detail).toContain('Desk 7');

    const path = `/v1/branches/${w.branch.id}/counters/${counter.id}`;
    expect((await call('PATCH', path, { token: w.token, body: { queueIds: [spare.id] } })).status).toBe(200);
    expect((await call('DELETE', `${w.path}/${q.id}`, { token: w.token })).status).toBe(204);
    expect((await call('GET', `${w.path}/${q.id}`, { token: w.token })).status).toBe(404);
    expect((await call('PATCH', `${w.path}/${q.id}`, { token: w.token, body: { name: 'X' } })).status).toBe(
      404,
    );
    expect((await call('DELETE', `${w.path}/${q.id}`, { token: w.token })).status).toBe(404);
    expect(
      (await call('GET', w.path, { token: w.token })).body.items.map((x: { id: string }) => x.id),
    ).toEqual([spare.id]);
    // Its prefix is free again.
    await w.api.queue(w.branch.id, { prefix: 'G', priorityId: w.priority.id });
  });
});

describe('queues: shapes and rules', () => {
  let token: string;
  let branch: any;
  let priority: any;
  beforeAll(async () => {
    token = (await newTenant(env)).token;
    branch = await created(token, '/v1/branches', { name: 'Q-branch', timezone: 'Europe/Madrid' });
    priority = await created(token, '/v1/priorities', { name: 'Q-prio', rank: 2 });
  });

  it('201 { id, branchId, name, prefix, priorityId, status, description, waiting, estimatedWaitSeconds, avgServiceSeconds, createdAt, updatedAt }', async () => {
    const q = await created(token, `/v1/branches/${branch.id}/queues`, {
      name: 'General',
      prefix: 'A',
      priorityId: priority.id,
    });
    expect(q).toEqual({
      id: expect.stringMatching(ULID),
      branchId: branch.id,
      name: 'General',
      prefix: 'A',
      priorityId: priority.id,
      status: 'open',
      description: null,
      displayOrder: null,
      waiting: 0,
      estimatedWaitSeconds: null, // no counter serves it yet
      avgServiceSeconds: 300,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
    await created(token, `/v1/branches/${branch.id}/counters`, { name: 'D', queueIds: [q.id] });
    const got = await call('GET', `/v1/branches/${branch.id}/queues/${q.id}`, { token });
    expect(got.body).toMatchObject({ waiting: 0, estimatedWaitSeconds: 0, avgServiceSeconds: 300 });
  });

  it('prefix: 1–3 uppercase letters, unique in the branch (409), free in another branch', async () => {
    for (const prefix of ['', 'a', 'ABCD', 'A1', 'Á', '-']) {
      const res = await call('POST', `/v1/branches/${branch.id}/queues`, {
        token,
        body: { name: 'x', prefix, priorityId: priority.id },
      });
      expect(res.status, prefix).toBe(400);
    }
    await created(token, `/v1/branches/${branch.id}/queues`, {
      name: 'x',
      prefix: 'XYZ',
      priorityId: priority.id,
    });
    const dup = await call('POST', `/v1/branches/${branch.id}/queues`, {
      token,
      body: { name: 'y', prefix: 'XYZ', priorityId: priority.id },
    });
    expect(dup.status).toBe(409);
    const other = await created(token, '/v1/branches', { name: 'Other', timezone: 'UTC' });
    await created(token, `/v1/branches/${other.id}/queues`, {
      name: 'x',
      prefix: 'XYZ',
      priorityId: priority.id,
    });
    // PATCH to a prefix in use is a 409 as well.
    const q2 = await created(token, `/v1/branches/${branch.id}/queues`, {
      name: 'z',
      prefix: 'ZZ',
      priorityId: priority.id,
    });
    expect(
      (await call('PATCH', `/v1/branches/${branch.id}/queues/${q2.id}`, { token, body: { prefix: 'XYZ' } }))
        .status,
    ).toBe(409);
  });

  it('status open | paused | closed; anything else 400', async () => {
    for (const status of ['paused', 'closed', 'open']) {
      const q = await created(token, `/v1/branches/${branch.id}/queues`, {
        name: status,
        prefix: `S${status[0]!.toUpperCase()}`,
        priorityId: priority.id,
        status,
      });
      expect(q.status).toBe(status);
    }
    const bad = await call('POST', `/v1/branches/${branch.id}/queues`, {
      token,
      body: { name: 'x', prefix: 'SX', priorityId: priority.id, status: 'OPEN' },
    });
    expect(bad.status).toBe(400);
  });

  it('list with live waiting; DELETE → 409 while tickets wait', async () => {
    const b = await created(token, '/v1/branches', { name: 'W', timezone: 'UTC' });
    const q = await created(token, `/v1/branches/${b.id}/queues`, {
      name: 'W',
      prefix: 'W',
      priorityId: priority.id,
    });
    const issued = await call('POST', `/v1/branches/${b.id}/tickets`, { token, body: { queueId: q.id } });
    expect(issued.status).toBe(201);
    const list = await call('GET', `/v1/branches/${b.id}/queues`, { token });
    expect(list.body.items[0]).toMatchObject({ id: q.id, waiting: 1 });
    expect((await call('DELETE', `/v1/branches/${b.id}/queues/${q.id}`, { token })).status).toBe(409);
    await call('POST', `/v1/branches/${b.id}/tickets/${issued.body.ticket.id}/cancel`, { token });
    expect((await call('DELETE', `/v1/branches/${b.id}/queues/${q.id}`, { token })).status).toBe(204);
  });
});
