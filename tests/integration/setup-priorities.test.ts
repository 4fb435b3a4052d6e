import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueKey } from '#core/adapters/dynamo/items/queue';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ISO_MS, ULID } from '#tests/support/rules';
import { allPages, created, newTenant, setupApi, storedItem } from '#tests/support/setup-fixtures';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

describe('POST /v1/priorities', () => {
  it('creates a priority with defaults (target 15, color and description null)', async () => {
    const { token } = await newTenant(env);
    const res = await call('POST', '/v1/priorities', { token, body: { name: 'General', rank: 3 } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(ULID),
      name: 'General',
      rank: 3,
      targetWaitMinutes: 15,
      color: null,
      description: null,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: res.body.createdAt,
    });
  });

  it('keeps every given field', async () => {
    const { token } = await newTenant(env);
    const body = { name: 'Urgent', rank: 1, targetWaitMinutes: 5, color: '#FF0000', description: 'Elderly' };
    const res = await call('POST', '/v1/priorities', { token, body });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject(body);
  });

  it.each([
    ['rank 0', { name: 'X', rank: 0 }, 'body.rank'],
    ['rank 100', { name: 'X', rank: 100 }, 'body.rank'],
    ['rank 1.5', { name: 'X', rank: 1.5 }, 'body.rank'],
    ['missing name', { rank: 1 }, 'body.name'],
    ['bad color', { name: 'X', rank: 1, color: 'red' }, 'body.color'],
    ['target 0', { name: 'X', rank: 1, targetWaitMinutes: 0 }, 'body.targetWaitMinutes'],
    ['unknown field', { name: 'X', rank: 1, urgent: true }, 'body.urgent'],
    ['name too long', { name: 'x'.repeat(101), rank: 1 }, 'body.name'],
  ])('400 for %s', async (_, body, path) => {
    const { token } = await newTenant(env);
    const res = await call('POST', '/v1/priorities', { token, body });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe('application/problem+json');
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('401 without a token, 403 without priorities:create', async () => {
    expect((await call('POST', '/v1/priorities', { body: { name: 'X', rank: 1 } })).status).toBe(401);
    const agent = await mintToken(env.signingKey, { tenantId: ulid(), role: 'agent' });
    const res = await call('POST', '/v1/priorities', { token: agent, body: { name: 'X', rank: 1 } });
    expect(res.status).toBe(403);
  });
});

describe('GET /v1/priorities', () => {
  it('lists by rank (ties oldest first), in pages, and only the tenant’s own', async () => {
    const { token } = await newTenant(env);
    const api = setupApi(token);
    const made = [];
    for (const rank of [5, 1, 3, 1, 2]) made.push(await api.priority({ name: `R${rank}`, rank }));
    await setupApi((await newTenant(env)).token).priority({ name: 'Other tenant', rank: 1 });

    const { items, pages } = await allPages(token, '/v1/priorities', 2);
    expect(pages).toBe(3);
    expect(items.map((p) => p.rank)).toEqual([1, 1, 2, 3, 5]);
    expect(items.slice(0, 2).map((p) => p.id)).toEqual([made[1].id, made[3].id]);
  });

  it('a page that holds the rest has no cursor; a cursor leads to the next item', async () => {
    const { token } = await newTenant(env);
    for (const rank of [1, 2]) await setupApi(token).priority({ rank });
    const first = await call('GET', '/v1/priorities', { token, query: { limit: '2' } });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toBeNull();
    const one = await call('GET', '/v1/priorities', { token, query: { limit: '1' } });
    const second = await call('GET', '/v1/priorities', {
      token,
      query: { limit: '1', cursor: one.body.nextCursor },
    });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(one.body.items[0].id);
  });

  it('400 for a cursor of another tenant, another list, or garbage; 400 for limit 0', async () => {
    const a = await newTenant(env);
    const b = await newTenant(env);
    for (const rank of [1, 2]) {
      await setupApi(a.token).priority({ rank });
      await setupApi(b.token).priority({ rank });
    }
    const cursorOfB = (await call('GET', '/v1/priorities', { token: b.token, query: { limit: '1' } })).body
      .nextCursor;
    expect(cursorOfB).toEqual(expect.any(String));
    const foreign = await call('GET', '/v1/priorities', { token: a.token, query: { cursor: cursorOfB } });
    expect(foreign.status).toBe(400);

    const api = setupApi(a.token);
    const branch = await api.branch();
    const q1 = await api.priority({ rank: 9 });
    await api.queue(branch.id, { prefix: 'A', priorityId: q1.id });
    await api.queue(branch.id, { prefix: 'B', priorityId: q1.id });
    const queueCursor = (
      await call('GET', `/v1/branches/${branch.id}/queues`, { token: a.token, query: { limit: '1' } })
    ).body.nextCursor;
    expect(queueCursor).toEqual(expect.any(String));
    const otherList = await call('GET', '/v1/priorities', { token: a.token, query: { cursor: queueCursor } });
    expect(otherList.status).toBe(400);

    expect(
      (await call('GET', '/v1/priorities', { token: a.token, query: { cursor: 'garbage' } })).status,
    ).toBe(400);
    expect((await call('GET', '/v1/priorities', { token: a.token, query: { limit: '0' } })).status).toBe(400);
  });
});

describe('GET/PATCH/DELETE /v1/priorities/{priorityId}', () => {
  it('reads one; 404 for another tenant’s id and for an unknown id', async () => {
    const { token } = await newTenant(env);
    const p = await setupApi(token).priority();
    const res = await call('GET', `/v1/priorities/${p.id}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(p);

    const other = await newTenant(env);
    expect((await call('GET', `/v1/priorities/${p.id}`, { token: other.token })).status).toBe(404);
    expect(
      (await call('PATCH', `/v1/priorities/${p.id}`, { token: other.token, body: { rank: 2 } })).status,
    ).toBe(404);
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token: other.token })).status).toBe(404);
    expect((await call('GET', `/v1/priorities/${ulid()}`, { token })).status).toBe(404);
    expect((await call('GET', '/v1/priorities/not-a-ulid', { token })).status).toBe(400);
  });

  it('patches some fields, clears nullable ones with null, and bumps updatedAt', async () => {
    const { token } = await newTenant(env);
    const p = await setupApi(token).priority({ color: '#00FF00', description: 'x' });
    const res = await call('PATCH', `/v1/priorities/${p.id}`, {
      token,
      body: { name: 'Renamed', color: null },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...p,
      name: 'Renamed',
      color: null,
      updatedAt: expect.stringMatching(ISO_MS),
    });
    expect(res.body.updatedAt >= p.updatedAt).toBe(true);
    expect((await call('GET', `/v1/priorities/${p.id}`, { token })).body).toEqual(res.body);
  });

  it('400 for an empty PATCH, an out-of-range rank and unknown fields', async () => {
    const { token } = await newTenant(env);
    const p = await setupApi(token).priority();
    for (const body of [{}, { rank: 100 }, { id: ulid() }]) {
      expect((await call('PATCH', `/v1/priorities/${p.id}`, { token, body })).status).toBe(400);
    }
  });

  it('PATCH of rank and target is copied to every queue that uses the priority', async () => {
    const { tenantId, token } = await newTenant(env);
    const api = setupApi(token);
    const p = await api.priority({ rank: 3, targetWaitMinutes: 20 });
    const b1 = await api.branch();
    const b2 = await api.branch({ name: 'Second' });
    const queues = [
      await api.queue(b1.id, { prefix: 'A', priorityId: p.id }),
      await api.queue(b1.id, { prefix: 'B', priorityId: p.id }),
      await api.queue(b2.id, { prefix: 'A', priorityId: p.id }),
    ];
    const res = await call('PATCH', `/v1/priorities/${p.id}`, {
      token,
      body: { rank: 1, targetWaitMinutes: 7 },
    });
    expect(res.status).toBe(200);
    for (const q of queues) {
      expect(await storedItem(queueKey(tenantId, q.branchId, q.id))).toMatchObject({
        priorityRank: 1,
        targetWaitMinutes: 7,
      });
    }
  });

  it('DELETE → 409 while a queue uses it, 204 once the queue is gone; then 404 and unlisted', async () => {
    const { token } = await newTenant(env);
    const api = setupApi(token);
    const p = await api.priority();
    const branch = await api.branch();
    const q = await api.queue(branch.id, { prefix: 'G', priorityId: p.id });

    const inUse = await call('DELETE', `/v1/priorities/${p.id}`, { token });
    expect(inUse.status).toBe(409);
    expect(inUse.body.type).toMatch(/priority-in-use$/);

    expect((await call('DELETE', `/v1/branches/${branch.id}/queues/${q.id}`, { token })).status).toBe(204);
    const res = await call('DELETE', `/v1/priorities/${p.id}`, { token });
    expect(res.status).toBe(204);
    expect(res.text).toBeUndefined();
    expect((await call('GET', `/v1/priorities/${p.id}`, { token })).status).toBe(404);
    expect((await call('PATCH', `/v1/priorities/${p.id}`, { token, body: { rank: 1 } })).status).toBe(404);
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(404);
    expect((await call('GET', '/v1/priorities', { token })).body.items).toEqual([]);
  });

  it('a deleted priority cannot be given to a new queue (400)', async () => {
    const { token } = await newTenant(env);
    const api = setupApi(token);
    const p = await api.priority();
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(204);
    const branch = await api.branch();
    const res = await call('POST', `/v1/branches/${branch.id}/queues`, {
      token,
      body: { name: 'G', prefix: 'G', priorityId: p.id },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.priorityId', message: 'No such priority' }]);
  });
});

describe('priorities: shapes and rules', () => {
  let token: string;
  beforeAll(async () => {
    token = (await newTenant(env)).token;
  });

  it('rank 1–99; ranks need not be unique; list sorted by rank', async () => {
    const t = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
    for (const rank of [0, 100, 1.5, '3']) {
      expect(
        (await call('POST', '/v1/priorities', { token: t, body: { name: 'x', rank } })).status,
        String(rank),
      ).toBe(400);
    }
    for (const [name, rank] of [
      ['c', 50],
      ['a', 99],
      ['b', 1],
      ['d', 50],
      ['e', 2],
    ] as const)
      await created(t, '/v1/priorities', { name, rank });
    const list = await call('GET', '/v1/priorities', { token: t });
    expect(list.body.items.map((p: any) => p.rank)).toEqual([1, 2, 50, 50, 99]);
    const paged = await call('GET', '/v1/priorities', { token: t, query: { limit: '2' } });
    const rest = await call('GET', '/v1/priorities', { token: t, query: { cursor: paged.body.nextCursor } });
    expect([...paged.body.items, ...rest.body.items].map((p: any) => p.rank)).toEqual([1, 2, 50, 50, 99]);
  });

  it('GET/PATCH/DELETE by id; DELETE → 409 while a queue uses it', async () => {
    const p = await created(token, '/v1/priorities', { name: 'Used', rank: 4, targetWaitMinutes: 20 });
    const b = await created(token, '/v1/branches', { name: 'B', timezone: 'UTC' });
    const q = await created(token, `/v1/branches/${b.id}/queues`, {
      name: 'Q',
      prefix: 'U',
      priorityId: p.id,
    });
    expect((await call('GET', `/v1/priorities/${p.id}`, { token })).body).toEqual(p);
    const patched = await call('PATCH', `/v1/priorities/${p.id}`, { token, body: { rank: 5 } });
    expect(patched.body).toMatchObject({ name: 'Used', rank: 5, targetWaitMinutes: 20 });
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(409);
    expect((await call('DELETE', `/v1/branches/${b.id}/queues/${q.id}`, { token })).status).toBe(204);
    expect((await call('DELETE', `/v1/priorities/${p.id}`, { token })).status).toBe(204);
    expect((await call('GET', `/v1/priorities/${p.id}`, { token })).status).toBe(404);
  });
});
