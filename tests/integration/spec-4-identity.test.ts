import { decodeJwt, decodeProtectedHeader } from 'jose';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UserRecord } from '#core/domain/user';
import { call } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import {
  freshIp,
  login,
  mailsTo,
  PASSWORD,
  storedUser,
  uniqueSlug,
  verifiedTenant,
} from '#tests/support/identity-fixtures';
import { mintToken } from '#tests/support/tokens';

/** SPEC §4 (identity and access), statement by statement, through the real handlers. */

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
beforeAll(async () => {
  env = await createTestEnv();
  org = await verifiedTenant(env);
});

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const USER_KEYS = [
  'active',
  'branchIds',
  'createdAt',
  'email',
  'fullName',
  'id',
  'roleId',
  'updatedAt',
  'username',
];

let n = 0;
const uname = () => `u${++n}.${Date.now().toString(36)}`;
const createUser = (body: Record<string, unknown>, token = org.token) =>
  call('POST', '/v1/users', {
    token,
    body: { username: uname(), password: PASSWORD, fullName: 'Some One', roleId: 'agent', ...body },
  });

const fixtureUser = (fields: Partial<UserRecord> = {}) =>
  storedUser(org.tenant.id, { username: uname(), ...fields });

const CRUD = ['create', 'read', 'update', 'delete'];
const CATALOG = [
  ...['users', 'roles', 'priorities', 'branches', 'queues', 'counters'].flatMap((m) =>
    CRUD.map((a) => `${m}:${a}`),
  ),
  'tickets:create',
  'tickets:read',
  'tickets:serve',
  'tickets:cancel',
  'tickets:reassign',
  'reports:read',
];

describe('SPEC §4 tenants: signup and verify-email', () => {
  const body = (slug: string, admin: Record<string, unknown> = {}) => ({
    organization: { name: 'Org', slug },
    admin: {
      username: 'boss',
      email: `${slug}@example.com`,
      password: PASSWORD,
      fullName: 'Bo Ss',
      ...admin,
    },
  });

  it('201 { tenant: { id, slug, name }, user } and a mail to the admin with token=', async () => {
    const slug = uniqueSlug();
    const res = await call('POST', '/v1/signup', { body: body(slug), sourceIp: freshIp() });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['tenant', 'user']);
    expect(res.body.tenant).toEqual({ id: expect.stringMatching(ULID), slug, name: 'Org' });
    expect(Object.keys(res.body.user).sort()).toEqual(USER_KEYS);
    const mail = mailsTo(env, `${slug}@example.com`)[0]!;
    expect(mail.text).toMatch(/token=/);
    const early = await login(slug, 'boss', PASSWORD);
    expect(early.status).toBe(403);
    expect(early.body.type).toMatch(/email-not-verified$/);
    const token = /token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    const verified = await call('POST', '/v1/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ verified: true });
    expect((await call('POST', '/v1/auth/verify-email', { body: { token } })).status).toBe(400);
    expect((await call('POST', '/v1/auth/verify-email', { body: { token: 'nope' } })).status).toBe(400);
    expect((await login(slug, 'boss', PASSWORD)).status).toBe(200);
  });

  it('slug ^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$ (else 400)', async () => {
    for (const bad of ['ab', 'Abc', '-abc', 'abc-', 'a_c', 'a'.repeat(41), 'ab c']) {
      const res = await call('POST', '/v1/signup', { body: body(bad), sourceIp: freshIp() });
      expect(res.status, bad).toBe(400);
    }
    // Uniqueness (409): identity-signup.test.ts.
  });

  it('the admin follows the user rules: username, email and password', async () => {
    for (const admin of [{ username: 'ab' }, { email: 'not-an-email' }, { password: 'x'.repeat(9) }]) {
      expect(
        (await call('POST', '/v1/signup', { body: body(uniqueSlug(), admin), sourceIp: freshIp() })).status,
      ).toBe(400);
    }
  });
});

describe('SPEC §4 sessions', () => {
  it('login → 200 { accessToken, refreshToken, tokenType: "Bearer", expiresIn, user }', async () => {
    const res = await login(org.tenant.slug, 'admin.user', PASSWORD);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual([
      'accessToken',
      'expiresIn',
      'refreshToken',
      'tokenType',
      'user',
    ]);
    expect(res.body.tokenType).toBe('Bearer');
    expect(res.body.expiresIn).toBe(900);
    expect(Object.keys(res.body.user).sort()).toEqual(USER_KEYS);
    const header = decodeProtectedHeader(res.body.accessToken);
    expect(['ES256', 'EdDSA']).toContain(header.alg);
    expect(header.kid).toEqual(expect.any(String));
    const claims = decodeJwt(res.body.accessToken);
    for (const c of ['iss', 'aud', 'sub', 'tid', 'role', 'perms', 'branches', 'iat', 'exp', 'jti'])
      expect(claims, c).toHaveProperty(c);
    expect(typeof claims.aud).toBe('string');
    expect(claims.exp! - claims.iat!).toBe(15 * 60);
    expect(claims.branches).toEqual(['*']);
  });

  it('refresh → same shape as login; a rotated token → 401 and ends the login; logout → 204', async () => {
    const u = await fixtureUser();
    const first = await login(org.tenant.slug, u.username, PASSWORD);
    const second = await call('POST', '/v1/auth/refresh', {
      body: { refreshToken: first.body.refreshToken },
    });
    expect(second.status).toBe(200);
    expect(Object.keys(second.body).sort()).toEqual(Object.keys(first.body).sort());
    expect(second.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: first.body.user });
    const reuse = await call('POST', '/v1/auth/refresh', { body: { refreshToken: first.body.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.headers['content-type']).toBe('application/problem+json');
    const revoked = await call('POST', '/v1/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(revoked.status).toBe(401);
    const out = await call('POST', '/v1/auth/logout', { body: { refreshToken: second.body.refreshToken } });
    expect(out.status).toBe(204);
    expect(out.text ?? '').toBe('');
  });

  it('GET /v1/me → the user object itself', async () => {
    const me = await call('GET', '/v1/me', { token: org.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(org.admin);
  });
});

describe.concurrent('SPEC §4 permissions and roles', () => {
  it('GET /v1/permissions → { items: [{ id, module, action, description }] }, exactly the catalog', async () => {
    const res = await call('GET', '/v1/permissions', { token: org.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['items']);
    expect(res.body.items.map((p: any) => p.id).sort()).toEqual([...CATALOG].sort());
    for (const p of res.body.items) {
      expect(Object.keys(p).sort()).toEqual(['action', 'description', 'id', 'module']);
      expect(`${p.module}:${p.action}`).toBe(p.id);
    }
  });

  it('built-in roles have literal ids, builtIn: true and the permission sets of the SPEC', async () => {
    const res = await call('GET', '/v1/roles', { token: org.token, query: { limit: '100' } });
    const byId = new Map(res.body.items.map((r: any) => [r.id, r]));
    const perms = (id: string) => [...(byId.get(id) as any).permissions].sort();
    for (const id of ['admin', 'manager', 'agent', 'kiosk', 'display']) {
      expect((byId.get(id) as any)?.builtIn, id).toBe(true);
      expect(Object.keys(byId.get(id) as any).sort()).toEqual([
        'builtIn',
        'createdAt',
        'id',
        'name',
        'permissions',
        'updatedAt',
      ]);
    }
    expect(perms('admin')).toEqual([...CATALOG].sort());
    const identityWrites = ['users', 'roles'].flatMap((m) =>
      ['create', 'update', 'delete'].map((a) => `${m}:${a}`),
    );
    expect(perms('manager')).toEqual(CATALOG.filter((p) => !identityWrites.includes(p)).sort());
    expect(perms('manager')).toContain('users:read');
    expect(perms('manager')).toContain('roles:read');
    expect(perms('agent')).toEqual(
      [
        'tickets:create',
        'tickets:read',
        'tickets:serve',
        'tickets:cancel',
        'queues:read',
        'counters:read',
        'priorities:read',
        'branches:read',
      ].sort(),
    );
    expect(perms('kiosk')).toEqual(
      ['tickets:create', 'queues:read', 'priorities:read', 'branches:read'].sort(),
    );
    expect(perms('display')).toEqual(['branches:read', 'queues:read', 'tickets:read'].sort());
  });

  it('built-in roles cannot be changed or deleted (409)', async () => {
    for (const id of ['admin', 'manager', 'agent', 'kiosk', 'display']) {
      expect((await call('PATCH', `/v1/roles/${id}`, { token: org.token, body: { name: 'x' } })).status).toBe(
        409,
      );
      expect((await call('DELETE', `/v1/roles/${id}`, { token: org.token })).status).toBe(409);
    }
  });

  it('POST /v1/roles → 201 { id, name, permissions, builtIn: false, createdAt, updatedAt }; unknown permission → 400', async () => {
    const res = await call('POST', '/v1/roles', {
      token: org.token,
      body: { name: 'Greeter', permissions: ['tickets:create', 'tickets:read'] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(ULID),
      name: 'Greeter',
      permissions: ['tickets:create', 'tickets:read'],
      builtIn: false,
      createdAt: expect.stringMatching(ISO_MS),
      updatedAt: expect.stringMatching(ISO_MS),
    });
    expect((await call('GET', `/v1/roles/${res.body.id}`, { token: org.token })).body).toEqual(res.body);
    const bad = await call('POST', '/v1/roles', {
      token: org.token,
      body: { name: 'X', permissions: ['tickets:fly'] },
    });
    expect(bad.status).toBe(400);
  });

  it('DELETE of a role: 409 while an active user has it, 204 once none has', async () => {
    const role = await call('POST', '/v1/roles', {
      token: org.token,
      body: { name: 'Temp', permissions: [] },
    });
    const user = await fixtureUser({ roleId: role.body.id });
    expect((await call('DELETE', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(409);
    await call('PATCH', `/v1/users/${user.id}`, { token: org.token, body: { active: false } });
    expect((await call('DELETE', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(204);
    expect((await call('GET', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(404);
  });

  it('a manager can read users and roles but not write them', async () => {
    const manager = await mintToken(env.signingKey, { tenantId: org.tenant.id, role: 'manager' });
    expect((await call('GET', '/v1/users', { token: manager })).status).toBe(200);
    expect((await call('GET', '/v1/roles', { token: manager })).status).toBe(200);
    expect((await call('GET', `/v1/users/${org.admin.id}`, { token: manager })).status).toBe(200);
    expect((await createUser({}, manager)).status).toBe(403);
    expect(
      (await call('POST', '/v1/roles', { token: manager, body: { name: 'x', permissions: [] } })).status,
    ).toBe(403);
  });
});

describe.concurrent('SPEC §4 users', () => {
  it('POST /v1/users → 201 the user; email optional (null), branchIds absent = null (all branches)', async () => {
    const res = await createUser({ fullName: 'Ann Agent' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(USER_KEYS);
    expect(res.body).toMatchObject({
      fullName: 'Ann Agent',
      email: null,
      roleId: 'agent',
      branchIds: null,
      active: true,
    });
    expect(res.body.createdAt).toMatch(ISO_MS);
    const got = await call('GET', `/v1/users/${res.body.id}`, { token: org.token });
    expect(got.body).toEqual(res.body);
  });

  it('email must be a valid address when given', async () => {
    for (const email of ['nope', 'a@', '@b.co', 'a b@c.de', '']) {
      expect((await createUser({ email })).status, email).toBe(400);
    }
  });

  it('username: 3–64 characters of A-Za-z0-9._@-', async () => {
    const longest = `A.b_c@d-e${ulid()}`.padEnd(64, 'z');
    const res = await createUser({ username: longest });
    expect(res.status, res.text).toBe(201);
    expect(res.body.username).toBe(longest);
    for (const bad of ['ab', 'x'.repeat(65), 'has space', 'ñandu', 'a/b', 'a+b', 'a!b']) {
      expect((await createUser({ username: bad })).status, bad).toBe(400);
    }
  });

  it('username unique per tenant case-insensitively (409)', async () => {
    const name = uname();
    expect((await createUser({ username: name })).status).toBe(201);
    expect((await createUser({ username: name.toUpperCase() })).status).toBe(409);
  });

  it('password: 10–128 characters (9 and 129 → 400)', async () => {
    expect((await createUser({ password: 'x'.repeat(9) })).status).toBe(400);
    // 10 and 128 are accepted: identity-users.test.ts.
    expect((await createUser({ password: 'x'.repeat(129) })).status).toBe(400);
    const patch = await call('PATCH', `/v1/users/${org.admin.id}`, {
      token: org.token,
      body: { password: 'short' },
    });
    expect(patch.status).toBe(400);
  });

  it('PATCH is partial; DELETE → 204, then 404 and not listed', async () => {
    const u = { body: await fixtureUser({ email: 'x@example.com' }) };
    const patched = await call('PATCH', `/v1/users/${u.body.id}`, {
      token: org.token,
      body: { fullName: 'New Name' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      fullName: 'New Name',
      email: 'x@example.com',
      roleId: 'agent',
      active: true,
    });
    const del = await call('DELETE', `/v1/users/${u.body.id}`, { token: org.token });
    expect(del.status).toBe(204);
    expect((await call('GET', `/v1/users/${u.body.id}`, { token: org.token })).status).toBe(404);
    expect(
      (await call('PATCH', `/v1/users/${u.body.id}`, { token: org.token, body: { fullName: 'x' } })).status,
    ).toBe(404);
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', '/v1/users', {
        token: org.token,
        query: { limit: '100', ...(cursor && { cursor }) },
      });
      all.push(...page.body.items.map((x: any) => x.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(all).not.toContain(u.body.id);
  });

  it('nobody can deactivate or delete themselves (409)', async () => {
    expect(
      (await call('PATCH', `/v1/users/${org.admin.id}`, { token: org.token, body: { active: false } }))
        .status,
    ).toBe(409);
    expect((await call('DELETE', `/v1/users/${org.admin.id}`, { token: org.token })).status).toBe(409);
  });

  it('deactivating a user revokes its refresh tokens at once', async () => {
    for (const end of ['deactivate', 'delete']) {
      const u = await createUser({});
      const session = await login(org.tenant.slug, u.body.username, PASSWORD);
      expect(session.status).toBe(200);
      if (end === 'deactivate')
        await call('PATCH', `/v1/users/${u.body.id}`, { token: org.token, body: { active: false } });
      else await call('DELETE', `/v1/users/${u.body.id}`, { token: org.token });
      const res = await call('POST', '/v1/auth/refresh', {
        body: { refreshToken: session.body.refreshToken },
      });
      expect(res.status, end).toBe(401);
    }
  });

  it('a user whose branchIds does not include a branch gets 403 on its routes', async () => {
    const a = await createBranchFixture({ tenantId: org.tenant.id });
    const b = await createBranchFixture({ tenantId: org.tenant.id });
    const scoped = { body: await fixtureUser({ branchIds: [a.branchId], roleId: 'admin' }) };
    const session = await login(org.tenant.slug, scoped.body.username, PASSWORD);
    expect(decodeJwt(session.body.accessToken).branches).toEqual([a.branchId]);
    const token = session.body.accessToken;
    expect((await call('GET', `/v1/branches/${a.branchId}/board`, { token })).status).toBe(200);
    expect((await call('GET', `/v1/branches/${b.branchId}/board`, { token })).status).toBe(403);
    expect((await call('GET', `/v1/branches/${b.branchId}`, { token })).status).toBe(403);
    expect(
      (await call('POST', `/v1/branches/${b.branchId}/tickets`, { token, body: { queueId: b.queues.G!.id } }))
        .status,
    ).toBe(403);
    const list = await call('GET', '/v1/branches', { token });
    expect(list.body.items.map((x: any) => x.id)).toEqual([a.branchId]);
  });
});
