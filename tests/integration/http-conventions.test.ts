import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, type CallOptions, call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { ISO_MS, ULID } from '#tests/support/rules';
import { mintToken } from '#tests/support/tokens';

/**
 * The API conventions (docs/rules.md#api-conventions), rule by rule, through the real handlers:
 * problem+json, lists, create/delete/PATCH/GET shapes, action bodies, unknown fields, the order
 * of checks on every kind of route, soft deletes, createdAt/updatedAt.
 */

let env: TestEnv;
let f: BranchFixture;
let tenantId: string;
let admin: string;
let adminId: string;
/** Every permission, but only a branch that is not `f.branchId`. */
let outOfScope: string;
/** A valid token with no permission at all. */
let powerless: string;
/** An admin of another tenant. */
let stranger: string;

beforeAll(async () => {
  env = await createTestEnv();
  f = await createBranchFixture({
    priorities: { General: { rank: 3 } },
    queues: { G: { priority: 'General' }, H: { priority: 'General' } },
    counters: { 'Desk 1': { queues: ['G'], allowStealing: false } },
  });
  tenantId = f.tenantId;
  adminId = ulid();
  admin = await mintToken(env.signingKey, { tenantId, userId: adminId, role: 'admin' });
  outOfScope = await mintToken(env.signingKey, { tenantId, role: 'admin', branches: [ulid()] });
  powerless = await mintToken(env.signingKey, { tenantId, role: 'custom', perms: [] });
  stranger = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin' });
});

const base = () => `/v1/branches/${f.branchId}`;

/** Errors: `{ type, title, status, detail?, errors? }` with `errors: [{ path, message }]`. */
function expectProblem(res: ApiResponse, status: number, what = '') {
  expect(res.status, `${what} → ${res.status} ${res.text}`).toBe(status);
  expect(res.headers['content-type'], what).toBe('application/problem+json');
  const keys = Object.keys(res.body);
  for (const k of keys)
    expect(['type', 'title', 'status', 'detail', 'errors'], `${what}: key ${k}`).toContain(k);
  expect(res.body.type, what).toEqual(expect.any(String));
  expect(res.body.title, what).toEqual(expect.any(String));
  expect(res.body.status, what).toBe(status);
  if (res.body.detail !== undefined) expect(res.body.detail).toEqual(expect.any(String));
  if (res.body.errors !== undefined) {
    expect(Array.isArray(res.body.errors)).toBe(true);
    for (const e of res.body.errors) {
      expect(Object.keys(e).sort(), what).toEqual(['message', 'path']);
      expect(e.path).toEqual(expect.any(String));
      expect(e.message).toEqual(expect.any(String));
    }
  }
  if (status === 401) expect(res.headers['www-authenticate'], what).toBe('Bearer');
}

async function issue(queue = 'G', token = admin) {
  const res = await call('POST', `${base()}/tickets`, { token, body: { queueId: f.queues[queue]!.id } });
  expect(res.status, res.text).toBe(201);
  return res.body.ticket;
}

async function callNext(counter = 'Desk 1', token = admin) {
  return call('POST', `${base()}/counters/${f.counters[counter]}/call-next`, { token });
}

describe('errors are problem+json', () => {
  it('400 for malformed JSON, with the problem shape', async () => {
    const res = await call('POST', '/v1/priorities', {
      token: admin,
      rawBody: '{"name":',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 400, 'malformed JSON');
  });

  it('400 with errors [{ path, message }] for an invalid field', async () => {
    const res = await call('POST', '/v1/priorities', { token: admin, body: { name: 'X', rank: 0 } });
    expectProblem(res, 400);
    expect(res.body.errors).toContainEqual({ path: 'body.rank', message: expect.any(String) });
  });

  it('401 with WWW-Authenticate: Bearer for missing, malformed and expired tokens', async () => {
    expectProblem(await call('GET', '/v1/priorities'), 401, 'missing');
    expectProblem(
      await call('GET', '/v1/priorities', { headers: { authorization: 'Bearer x.y.z' } }),
      401,
      'malformed',
    );
    const expired = await mintToken(
      env.signingKey,
      { tenantId },
      { expiresIn: Math.floor(Date.now() / 1000) - 60 },
    );
    expectProblem(await call('GET', '/v1/priorities', { token: expired }), 401, 'expired');
  });

  it('404 for an id of another tenant (never reveals it exists)', async () => {
    const mine = await call('GET', `${base()}/queues/${f.queues.G!.id}`, { token: admin });
    expect(mine.status).toBe(200);
    const theirs = await call('GET', `${base()}/queues/${f.queues.G!.id}`, { token: stranger });
    expectProblem(theirs, 404);
    const unknown = await call('GET', `/v1/branches/${ulid()}/queues/${ulid()}`, { token: stranger });
    // Same answer as for an id that never existed.
    expect(theirs.body).toEqual(unknown.body);
  });

  it('413 for a body over 64 KiB', async () => {
    const res = await call('POST', '/v1/priorities', {
      token: admin,
      rawBody: JSON.stringify({ name: 'x', rank: 1, description: 'y'.repeat(70 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(res, 413);
  });
});

describe('lists: ?limit (1–100, default 50) and ?cursor → { items, nextCursor }', () => {
  let token: string;
  beforeAll(async () => {
    const t = ulid();
    token = await mintToken(env.signingKey, { tenantId: t, role: 'admin' });
    for (let i = 0; i < 52; i++) {
      const res = await call('POST', '/v1/priorities', {
        token,
        body: { name: `P${i}`, rank: 1 + (i % 99) },
      });
      expect(res.status).toBe(201);
    }
  });

  it('defaults to 50 items and gives a cursor to the rest', async () => {
    const res = await call('GET', '/v1/priorities', { token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    expect(res.body.items).toHaveLength(50);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    const rest = await call('GET', '/v1/priorities', { token, query: { cursor: res.body.nextCursor } });
    expect(rest.body.items).toHaveLength(2);
    expect(rest.body.nextCursor).toBeNull();
  });

  it('accepts 1 and 100, refuses 0, 101 and non-numbers with 400', async () => {
    expect((await call('GET', '/v1/priorities', { token, query: { limit: '1' } })).body.items).toHaveLength(
      1,
    );
    expect((await call('GET', '/v1/priorities', { token, query: { limit: '100' } })).body.items).toHaveLength(
      52,
    );
    for (const limit of ['0', '101', 'abc', '-1', '1.5']) {
      const res = await call('GET', '/v1/priorities', { token, query: { limit } });
      expectProblem(res, 400, `limit=${limit}`);
      expect(res.body.errors?.[0]?.path, `limit=${limit}`).toBe('query.limit');
    }
  });

  it('an invalid cursor is 400 naming the cursor parameter', async () => {
    const res = await call('GET', '/v1/priorities', { token, query: { cursor: 'bogus' } });
    expectProblem(res, 400);
    expect(res.body.errors?.[0]?.path).toBe('query.cursor');
  });

  it('following nextCursor visits every item once; a non-null cursor may lead to an empty last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', '/v1/priorities', {
        token,
        query: { limit: '13', ...(cursor && { cursor }) },
      });
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((p: any) => p.id));
      if (res.body.items.length === 0) expect(res.body.nextCursor).toBeNull();
      cursor = res.body.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(52);
    expect(new Set(seen).size).toBe(52);
  });

  it.each([
    ['users', '/v1/users'],
    ['roles', '/v1/roles'],
    ['branches', '/v1/branches'],
  ])('%s list has the same shape and limit rules', async (_, path) => {
    const res = await call('GET', path, { token, query: { limit: '1' } });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    expectProblem(await call('GET', path, { token, query: { limit: '101' } }), 400, path);
  });

  it.each(['queues', 'counters', 'tickets'])('branch %s list has the shape and limit rules', async (what) => {
    const res = await call('GET', `${base()}/${what}`, { token: admin, query: { limit: '1' } });
    expect(res.status, res.text).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['items', 'nextCursor']);
    expect(res.body.items.length).toBeLessThanOrEqual(1);
    expectProblem(await call('GET', `${base()}/${what}`, { token: admin, query: { limit: '0' } }), 400, what);
  });

  it('unknown query parameters are 400', async () => {
    expectProblem(await call('GET', '/v1/priorities', { token, query: { foo: '1' } }), 400);
  });
});

describe('create → 201 with the resource; delete → 204; PATCH partial; GET returns the item', () => {
  it('priorities', async () => {
    const created = await call('POST', '/v1/priorities', {
      token: admin,
      body: { name: 'Cards', rank: 5, color: '#112233', description: 'd' },
    });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(ULID);
    const got = await call('GET', `/v1/priorities/${created.body.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);
    const patched = await call('PATCH', `/v1/priorities/${created.body.id}`, {
      token: admin,
      body: { name: 'Cards 2' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Cards 2', rank: 5, color: '#112233', description: 'd' });
    expect(patched.body.createdAt).toBe(created.body.createdAt);
    expect(patched.body.updatedAt >= created.body.updatedAt).toBe(true);
    const del = await call('DELETE', `/v1/priorities/${created.body.id}`, { token: admin });
    expect(del.status).toBe(204);
    expect(del.text ?? '').toBe('');
    expectProblem(await call('GET', `/v1/priorities/${created.body.id}`, { token: admin }), 404);
    const list = await call('GET', '/v1/priorities', { token: admin, query: { limit: '100' } });
    expect(list.body.items.map((p: any) => p.id)).not.toContain(created.body.id);
  });

  it('branches, queues and counters (item routes nested under their collections)', async () => {
    const branch = await call('POST', '/v1/branches', {
      token: admin,
      body: { name: 'B', timezone: 'Europe/Lisbon' },
    });
    expect(branch.status).toBe(201);
    const b = branch.body.id;
    const queue = await call('POST', `/v1/branches/${b}/queues`, {
      token: admin,
      body: { name: 'Q', prefix: 'Q', priorityId: f.priorities.General!.id },
    });
    expect(queue.status).toBe(201);
    const counter = await call('POST', `/v1/branches/${b}/counters`, {
      token: admin,
      body: { name: 'C', queueIds: [queue.body.id] },
    });
    expect(counter.status).toBe(201);
    for (const [path, body] of [
      [`/v1/branches/${b}`, branch.body],
      [`/v1/branches/${b}/queues/${queue.body.id}`, queue.body],
      [`/v1/branches/${b}/counters/${counter.body.id}`, counter.body],
    ] as const) {
      const got = await call('GET', path, { token: admin });
      expect(got.status, path).toBe(200);
      const { estimatedWaitSeconds: _, ...rest } = body as Record<string, unknown>;
      expect(got.body, path).toMatchObject(rest);
      expect(got.body.createdAt).toMatch(ISO_MS);
      expect(got.body.updatedAt).toMatch(ISO_MS);
    }
    const pq = await call('PATCH', `/v1/branches/${b}/queues/${queue.body.id}`, {
      token: admin,
      body: { status: 'paused' },
    });
    expect(pq.body).toMatchObject({ name: 'Q', prefix: 'Q', status: 'paused' });
    const pc = await call('PATCH', `/v1/branches/${b}/counters/${counter.body.id}`, {
      token: admin,
      body: { allowStealing: false },
    });
    expect(pc.body).toMatchObject({ name: 'C', queueIds: [queue.body.id], allowStealing: false });
    const pb = await call('PATCH', `/v1/branches/${b}`, { token: admin, body: { address: 'Rua 1' } });
    expect(pb.body).toMatchObject({ name: 'B', timezone: 'Europe/Lisbon', address: 'Rua 1' });

    expect(
      (await call('DELETE', `/v1/branches/${b}/counters/${counter.body.id}`, { token: admin })).status,
    ).toBe(204);
    expectProblem(await call('GET', `/v1/branches/${b}/counters/${counter.body.id}`, { token: admin }), 404);
    expectProblem(
      await call('PATCH', `/v1/branches/${b}/counters/${counter.body.id}`, {
        token: admin,
        body: { name: 'x' },
      }),
      404,
    );
    expectProblem(
      await call('DELETE', `/v1/branches/${b}/counters/${counter.body.id}`, { token: admin }),
      404,
    );
    expect((await call('GET', `/v1/branches/${b}/counters`, { token: admin })).body.items).toEqual([]);
    expect((await call('DELETE', `/v1/branches/${b}/queues/${queue.body.id}`, { token: admin })).status).toBe(
      204,
    );
    expectProblem(await call('GET', `/v1/branches/${b}/queues/${queue.body.id}`, { token: admin }), 404);
    expectProblem(await call('DELETE', `/v1/branches/${b}/queues/${queue.body.id}`, { token: admin }), 404);
    expect((await call('GET', `/v1/branches/${b}/queues`, { token: admin })).body.items).toEqual([]);
    expect((await call('DELETE', `/v1/branches/${b}`, { token: admin })).status).toBe(204);
    // Soft-deleted: 404 on the item and every route under it, and not listed.
    expectProblem(await call('GET', `/v1/branches/${b}`, { token: admin }), 404);
    expectProblem(await call('GET', `/v1/branches/${b}/queues`, { token: admin }), 404);
    expectProblem(await call('GET', `/v1/branches/${b}/board`, { token: admin }), 404);
    expectProblem(await call('PATCH', `/v1/branches/${b}`, { token: admin, body: { name: 'x' } }), 404);
    expectProblem(await call('DELETE', `/v1/branches/${b}`, { token: admin }), 404);
    const list = await call('GET', '/v1/branches', { token: admin, query: { limit: '100' } });
    expect(list.body.items.map((x: any) => x.id)).not.toContain(b);
  });

  it('GET of a ticket is { ticket, position, estimatedWaitSeconds }', async () => {
    const t = await issue('H');
    const got = await call('GET', `${base()}/tickets/${t.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(Object.keys(got.body).sort()).toEqual(['estimatedWaitSeconds', 'position', 'ticket']);
    expect(got.body.ticket).toEqual(t);
  });

  it('every resource has createdAt and updatedAt (ISO-8601 UTC with milliseconds)', async () => {
    const roles = await call('GET', '/v1/roles', { token: admin });
    for (const r of roles.body.items) {
      expect(r.createdAt, r.id).toMatch(ISO_MS);
      expect(r.updatedAt, r.id).toMatch(ISO_MS);
    }
    const t = await issue('H');
    expect(t.createdAt).toMatch(ISO_MS);
    expect(t.updatedAt).toMatch(ISO_MS);
    expect(t.queuedAt).toMatch(ISO_MS);
    for (const what of ['queues', 'counters']) {
      const list = await call('GET', `${base()}/${what}`, { token: admin });
      for (const item of list.body.items) {
        expect(item.createdAt).toMatch(ISO_MS);
        expect(item.updatedAt).toMatch(ISO_MS);
      }
    }
  });
});

describe('action routes accept no body or {} when they take no fields', () => {
  const variants: Array<[string, CallOptions]> = [
    ['no body, no content-type', {}],
    ['no body, content-type: application/json', { headers: { 'content-type': 'application/json' } }],
    [
      'empty body, content-type: application/json',
      { rawBody: '', headers: { 'content-type': 'application/json' } },
    ],
    ['{} with content-type: application/json', { body: {} }],
    [
      '{} as application/json; charset=utf-8',
      { rawBody: '{}', headers: { 'content-type': 'application/json; charset=utf-8' } },
    ],
  ];

  it.each(variants)('call-next, start, recall, complete and close-day: %s', async (_, options) => {
    // Fresh queue state: the desk is free and serves G only.
    const t = await issue('G');
    const called = await call('POST', `${base()}/counters/${f.counters['Desk 1']}/call-next`, {
      token: admin,
      ...options,
    });
    expect(called.status, called.text).toBe(200);
    expect(called.body.ticket.id).toBe(t.id);
    for (const action of ['recall', 'start', 'complete']) {
      const res = await call('POST', `${base()}/tickets/${t.id}/${action}`, { token: admin, ...options });
      expect(res.status, `${action}: ${res.text}`).toBe(200);
    }
    const none = await call('POST', `${base()}/counters/${f.counters['Desk 1']}/call-next`, {
      token: admin,
      ...options,
    });
    expect(none.status).toBe(204);
    expect(none.text ?? '').toBe('');
  });

  it.each(variants)('no-show and cancel: %s', async (_, options) => {
    const a = await issue('G');
    const b = await issue('G');
    expect(
      (await call('POST', `${base()}/tickets/${b.id}/cancel`, { token: admin, ...options })).status,
    ).toBe(200);
    const called = await callNext();
    expect(called.body.ticket.id).toBe(a.id);
    expect(
      (await call('POST', `${base()}/tickets/${a.id}/no-show`, { token: admin, ...options })).status,
    ).toBe(200);
  });

  it.each(variants)('close-day: %s', async (_, options) => {
    const g = await createBranchFixture({ tenantId });
    const res = await call('POST', `/v1/branches/${g.branchId}/close-day`, { token: admin, ...options });
    expect(res.status, res.text).toBe(200);
  });

  it('an action with a field is 400 naming it', async () => {
    const t = await issue('H');
    const res = await call('POST', `${base()}/tickets/${t.id}/cancel`, {
      token: admin,
      body: { reason: 'x' },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toContainEqual({ path: 'body.reason', message: 'Unknown field' });
    await call('POST', `${base()}/tickets/${t.id}/cancel`, { token: admin });
  });
});

describe('unknown fields are rejected at any depth', () => {
  it.each([
    ['POST', '/v1/priorities', { name: 'x', rank: 1, extra: 1 }, 'body.extra'],
    ['POST', '/v1/branches', { name: 'x', timezone: 'UTC', extra: 1 }, 'body.extra'],
    [
      'POST',
      '/v1/signup',
      {
        organization: { name: 'O', slug: 'some-org', vat: 'x' },
        admin: { username: 'abc', email: 'a@b.co', password: 'x'.repeat(12), fullName: 'A' },
      },
      'body.organization.vat',
    ],
    [
      'POST',
      '/v1/signup',
      {
        organization: { name: 'O', slug: 'some-org' },
        admin: { username: 'abc', email: 'a@b.co', password: 'x'.repeat(12), fullName: 'A', roleId: 'x' },
      },
      'body.admin.roleId',
    ],
    [
      'POST',
      '/v1/auth/login',
      { tenant: 't', username: 'u', password: 'p', remember: true },
      'body.remember',
    ],
    ['POST', '/v1/roles', { name: 'R', permissions: [], builtIn: true }, 'body.builtIn'],
    ['PATCH', `/v1/users/${ulid()}`, { fullName: 'x', username: 'y' }, 'body.username'],
  ])('%s %s', async (method, path, body, field) => {
    const res = await call(method, path, { token: admin, body });
    expectProblem(res, 400, path);
    expect(res.body.errors).toContainEqual({ path: field, message: 'Unknown field' });
  });

  it('customer.ssn on enqueue, and a field on transfer', async () => {
    const res = await call('POST', `${base()}/tickets`, {
      token: admin,
      body: { queueId: f.queues.G!.id, customer: { name: 'A', ssn: '1' } },
    });
    expectProblem(res, 400);
    expect(res.body.errors).toContainEqual({ path: 'body.customer.ssn', message: 'Unknown field' });
    const tr = await call('POST', `${base()}/tickets/${ulid()}/transfer`, {
      token: admin,
      body: { queueId: f.queues.G!.id, why: 'x' },
    });
    expectProblem(tr, 400);
  });

  it('PATCH of branches, queues and counters', async () => {
    for (const path of [
      `${base()}`,
      `${base()}/queues/${f.queues.G!.id}`,
      `${base()}/counters/${f.counters['Desk 1']}`,
    ]) {
      const res = await call('PATCH', path, { token: admin, body: { name: 'x', nope: 1 } });
      expectProblem(res, 400, path);
      expect(res.body.errors).toContainEqual({ path: 'body.nope', message: 'Unknown field' });
    }
  });
});

/**
 * The order of checks: 401 → 403 (permission) → 400 (validation) → 404 (resource, other tenant) → 403
 * (branch scope) → 409 (state), on every kind of route. Each case gives an invalid request
 * (bad body, query or path) and a valid one; `ids()` are existing resources of `f`, `unknown()`
 * the same route with the resource that is looked up replaced by one that does not exist.
 */
interface OrderCase {
  name: string;
  method: string;
  path: () => string;
  unknownPath: () => string;
  valid?: () => CallOptions;
  invalid: () => CallOptions;
  /** Branch-scoped routes answer 403 to an out-of-scope user of an existing resource. */
  scoped: boolean;
}

const withQuery = (query: Record<string, string>): CallOptions => ({ query });
const badPath = (path: string) => path.replace(/[0-9A-HJKMNP-TV-Z]{26}$/, 'not-a-ulid');

const ORDER_CASES: OrderCase[] = [
  {
    name: 'create (tenant-level)',
    method: 'POST',
    path: () => '/v1/priorities',
    unknownPath: () => '/v1/priorities',
    valid: () => ({ body: { name: 'x', rank: 1 } }),
    invalid: () => ({ body: { name: 'x', rank: 100 } }),
    scoped: false,
  },
  {
    name: 'tenant-level item GET',
    method: 'GET',
    path: () => `/v1/priorities/${f.priorities.General!.id}`,
    unknownPath: () => `/v1/priorities/${ulid()}`,
    invalid: () => ({}),
    scoped: false,
  },
  {
    name: 'tenant-level item PATCH',
    method: 'PATCH',
    path: () => `/v1/priorities/${f.priorities.General!.id}`,
    unknownPath: () => `/v1/priorities/${ulid()}`,
    valid: () => ({ body: { description: 'x' } }),
    invalid: () => ({ body: { rank: 0 } }),
    scoped: false,
  },
  {
    name: 'tenant-level item DELETE',
    method: 'DELETE',
    path: () => `/v1/users/${ulid()}`,
    unknownPath: () => `/v1/users/${ulid()}`,
    invalid: () => ({}),
    scoped: false,
  },
  {
    name: 'role PATCH',
    method: 'PATCH',
    path: () => `/v1/roles/${roleId}`,
    unknownPath: () => `/v1/roles/${ulid()}`,
    valid: () => ({ body: { name: 'Renamed' } }),
    invalid: () => ({ body: { permissions: ['tickets:fly'] } }),
    scoped: false,
  },
  {
    name: 'user GET',
    method: 'GET',
    path: () => `/v1/users/${userId}`,
    unknownPath: () => `/v1/users/${ulid()}`,
    invalid: () => ({}),
    scoped: false,
  },
  {
    name: 'reports summary (no resource)',
    method: 'GET',
    path: () => '/v1/reports/summary',
    unknownPath: () => '/v1/reports/summary',
    valid: () => withQuery({ from: '2026-01-01', to: '2026-01-02' }),
    invalid: () => withQuery({ from: '2026-01-01' }),
    scoped: false,
  },
  {
    name: 'branch item GET',
    method: 'GET',
    path: () => base(),
    unknownPath: () => `/v1/branches/${ulid()}`,
    invalid: () => ({}),
    scoped: true,
  },
  {
    name: 'branch item PATCH',
    method: 'PATCH',
    path: () => base(),
    unknownPath: () => `/v1/branches/${ulid()}`,
    valid: () => ({ body: { address: 'x' } }),
    invalid: () => ({ body: { resetHour: 24 } }),
    scoped: true,
  },
  {
    name: 'branch item DELETE',
    method: 'DELETE',
    path: () => base(),
    unknownPath: () => `/v1/branches/${ulid()}`,
    invalid: () => ({}),
    scoped: true,
  },
  {
    name: 'branch collection create',
    method: 'POST',
    path: () => `${base()}/queues`,
    unknownPath: () => `/v1/branches/${ulid()}/queues`,
    valid: () => ({ body: { name: 'x', prefix: 'ZZ', priorityId: f.priorities.General!.id } }),
    invalid: () => ({ body: { name: 'x', prefix: 'zz', priorityId: f.priorities.General!.id } }),
    scoped: true,
  },
  {
    name: 'branch collection list',
    method: 'GET',
    path: () => `${base()}/counters`,
    unknownPath: () => `/v1/branches/${ulid()}/counters`,
    valid: () => withQuery({ limit: '10' }),
    invalid: () => withQuery({ limit: '0' }),
    scoped: true,
  },
  {
    name: 'nested item GET',
    method: 'GET',
    path: () => `${base()}/queues/${f.queues.G!.id}`,
    unknownPath: () => `${base()}/queues/${ulid()}`,
    invalid: () => ({}),
    scoped: true,
  },
  {
    name: 'nested item PATCH',
    method: 'PATCH',
    path: () => `${base()}/counters/${f.counters['Desk 1']}`,
    unknownPath: () => `${base()}/counters/${ulid()}`,
    valid: () => ({ body: { name: 'Desk 1' } }),
    invalid: () => ({ body: { queueIds: [] } }),
    scoped: true,
  },
  {
    name: 'nested item DELETE',
    method: 'DELETE',
    path: () => `${base()}/queues/${f.queues.H!.id}`,
    unknownPath: () => `${base()}/queues/${ulid()}`,
    invalid: () => ({}),
    scoped: true,
  },
  {
    name: 'enqueue',
    method: 'POST',
    path: () => `${base()}/tickets`,
    unknownPath: () => `/v1/branches/${ulid()}/tickets`,
    valid: () => ({ body: { queueId: f.queues.G!.id } }),
    invalid: () => ({ body: {} }),
    scoped: true,
  },
  {
    name: 'ticket list',
    method: 'GET',
    path: () => `${base()}/tickets`,
    unknownPath: () => `/v1/branches/${ulid()}/tickets`,
    valid: () => withQuery({ status: 'waiting' }),
    invalid: () => withQuery({ status: 'lost' }),
    scoped: true,
  },
  {
    name: 'ticket GET',
    method: 'GET',
    path: () => `${base()}/tickets/${ticketId}`,
    unknownPath: () => `${base()}/tickets/${ulid()}`,
    invalid: () => ({}),
    scoped: true,
  },
  {
    name: 'ticket action',
    method: 'POST',
    path: () => `${base()}/tickets/${ticketId}/start`,
    unknownPath: () => `${base()}/tickets/${ulid()}/start`,
    valid: () => ({}),
    invalid: () => ({ body: { x: 1 } }),
    scoped: true,
  },
  {
    name: 'transfer',
    method: 'POST',
    path: () => `${base()}/tickets/${ticketId}/transfer`,
    unknownPath: () => `${base()}/tickets/${ulid()}/transfer`,
    valid: () => ({ body: { queueId: f.queues.H!.id } }),
    invalid: () => ({ body: { queueId: f.queues.H!.id, placement: 'front' } }),
    scoped: true,
  },
  {
    name: 'call-next',
    method: 'POST',
    path: () => `${base()}/counters/${f.counters['Desk 1']}/call-next`,
    unknownPath: () => `${base()}/counters/${ulid()}/call-next`,
    valid: () => ({}),
    invalid: () => ({ body: { x: 1 } }),
    scoped: true,
  },
  {
    name: 'reassign',
    method: 'POST',
    path: () => `${base()}/reassign`,
    unknownPath: () => `/v1/branches/${ulid()}/reassign`,
    valid: () => ({ body: { fromQueueId: f.queues.G!.id, toQueueId: f.queues.H!.id } }),
    invalid: () => ({ body: { fromQueueId: f.queues.G!.id } }),
    scoped: true,
  },
  {
    name: 'board',
    method: 'GET',
    path: () => `${base()}/board`,
    unknownPath: () => `/v1/branches/${ulid()}/board`,
    invalid: () => withQuery({ x: '1' }),
    scoped: true,
  },
  {
    name: 'close-day',
    method: 'POST',
    path: () => `${base()}/close-day`,
    unknownPath: () => `/v1/branches/${ulid()}/close-day`,
    valid: () => ({}),
    invalid: () => ({ body: { x: 1 } }),
    scoped: true,
  },
  {
    name: 'report',
    method: 'GET',
    path: () => `${base()}/report`,
    unknownPath: () => `/v1/branches/${ulid()}/report`,
    valid: () => withQuery({ from: '2026-01-01', to: '2026-01-02' }),
    invalid: () => withQuery({ from: '2026-01-02', to: '2026-01-01' }),
    scoped: true,
  },
  {
    name: 'today',
    method: 'GET',
    path: () => `${base()}/today`,
    unknownPath: () => `/v1/branches/${ulid()}/today`,
    invalid: () => withQuery({ x: '1' }),
    scoped: true,
  },
];

let ticketId: string;
let roleId: string;
let userId: string;

describe('order of checks: 401 → 403 → 400 → 404 → 403 scope → 409, on every kind of route', () => {
  beforeAll(async () => {
    ticketId = (await issue('H')).id;
    roleId = (await call('POST', '/v1/roles', { token: admin, body: { name: 'R', permissions: [] } })).body
      .id;
    userId = (
      await call('POST', '/v1/users', {
        token: admin,
        body: { username: 'someone', password: 'x'.repeat(12), fullName: 'S', roleId: 'agent' },
      })
    ).body.id;
  });

  for (const c of ORDER_CASES) {
    describe(c.name, () => {
      const noInput = () => c.invalid().body === undefined && c.invalid().query === undefined;
      const invalidOptions = (): CallOptions => c.invalid();
      const invalidPath = () => (noInput() ? badPath(c.path()) : c.path());

      it('401 before 403 before 400', async () => {
        expectProblem(await call(c.method, invalidPath(), invalidOptions()), 401, 'no token');
        expectProblem(
          await call(c.method, invalidPath(), { ...invalidOptions(), token: powerless }),
          403,
          'no perm',
        );
        expectProblem(
          await call(c.method, invalidPath(), { ...invalidOptions(), token: outOfScope }),
          400,
          'invalid, out of scope',
        );
      });

      it('400 before 404 (invalid request on an unknown resource)', async () => {
        const path = noInput() ? badPath(c.unknownPath()) : c.unknownPath();
        expectProblem(await call(c.method, path, { ...invalidOptions(), token: stranger }), 400);
      });

      it('404 for another tenant, and for an unknown resource even out of scope', async () => {
        if (!c.scoped && c.unknownPath() === c.path()) return; // a create or a report: nothing to find
        expectProblem(
          await call(c.method, c.path(), { ...(c.valid?.() ?? {}), token: stranger }),
          404,
          'stranger',
        );
        if (c.unknownPath() !== c.path()) {
          expectProblem(
            await call(c.method, c.unknownPath(), { ...(c.valid?.() ?? {}), token: outOfScope }),
            404,
            'unknown, out of scope',
          );
        }
      });

      if (c.scoped) {
        it('403 out of the branch scope for an existing resource', async () => {
          const res = await call(c.method, c.path(), { ...(c.valid?.() ?? {}), token: outOfScope });
          expectProblem(res, 403);
          expect(res.body.type).toMatch(/branch-scope$/);
        });
      }
    });
  }

  it('403 scope before 409 state: busy counter, waiting tickets, finished ticket', async () => {
    const g = await createBranchFixture({ tenantId, counters: { D: { queues: ['G'] } } });
    const b = `/v1/branches/${g.branchId}`;
    const scoped = await mintToken(env.signingKey, { tenantId, role: 'admin', branches: [f.branchId] });
    const t1 = await call('POST', `${b}/tickets`, { token: admin, body: { queueId: g.queues.G!.id } });
    await call('POST', `${b}/tickets`, { token: admin, body: { queueId: g.queues.G!.id } });
    expect((await call('POST', `${b}/counters/${g.counters.D}/call-next`, { token: admin })).status).toBe(
      200,
    );
    // In scope these are 409s …
    expectProblem(await call('POST', `${b}/counters/${g.counters.D}/call-next`, { token: admin }), 409);
    expectProblem(await call('DELETE', `${b}/queues/${g.queues.G!.id}`, { token: admin }), 409);
    expectProblem(await call('DELETE', `${b}/counters/${g.counters.D}`, { token: admin }), 409);
    // … out of scope 403s.
    expectProblem(await call('POST', `${b}/counters/${g.counters.D}/call-next`, { token: scoped }), 403);
    expectProblem(await call('DELETE', `${b}/queues/${g.queues.G!.id}`, { token: scoped }), 403);
    expectProblem(await call('DELETE', `${b}/counters/${g.counters.D}`, { token: scoped }), 403);
    expectProblem(await call('DELETE', b, { token: scoped }), 403);
    expect((await call('POST', `${b}/tickets/${t1.body.ticket.id}/no-show`, { token: admin })).status).toBe(
      200,
    );
    expectProblem(await call('POST', `${b}/tickets/${t1.body.ticket.id}/start`, { token: admin }), 409);
    expectProblem(await call('POST', `${b}/tickets/${t1.body.ticket.id}/start`, { token: scoped }), 403);
  });
});
