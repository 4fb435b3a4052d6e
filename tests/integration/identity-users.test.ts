import { decodeJwt } from 'jose';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import {
  login,
  PASSWORD,
  postUser,
  putBranch,
  storedUser,
  uniqueUsername,
  verifiedTenant,
} from '#tests/support/identity-fixtures';
import { ISO_MS, ULID, USER_FIELDS } from '#tests/support/rules';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
let other: Awaited<ReturnType<typeof verifiedTenant>>;
beforeAll(async () => {
  env = await createTestEnv();
  [org, other] = await Promise.all([verifiedTenant(env), verifiedTenant(env)]);
});

const createUser = (fields: Record<string, unknown> = {}, token = org.token) => postUser(token, fields);

describe('POST /v1/users', () => {
  it('creates a user with defaults and never returns the password or its hash', async () => {
    const res = await createUser({ username: 'Maria.Lopez', fullName: 'Maria Lopez' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(ULID),
      username: 'Maria.Lopez',
      fullName: 'Maria Lopez',
      email: null,
      roleId: 'agent',
      branchIds: null,
      active: true,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toMatch(/scrypt|passwordHash|sessionEpoch/);
  });

  it('keeps usernames unique per tenant, case-insensitively, but not across tenants', async () => {
    const name = uniqueUsername();
    expect((await createUser({ username: name })).status).toBe(201);
    const dup = await createUser({ username: name.toUpperCase() });
    expect(dup.status).toBe(409);
    expect(dup.body.type).toMatch(/\/username-taken$/);
    expect((await createUser({ username: name }, other.token)).status).toBe(201);
  });

  it('frees the username of a deleted user', async () => {
    const name = uniqueUsername();
    const first = await createUser({ username: name });
    expect((await call('DELETE', `/v1/users/${first.body.id}`, { token: org.token })).status).toBe(204);
    const again = await createUser({ username: name });
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first.body.id);
  });

  it('accepts passwords of 10 and 128 characters', async () => {
    expect((await createUser({ password: 'p'.repeat(10) })).status).toBe(201);
    expect((await createUser({ password: 'p'.repeat(128) })).status).toBe(201);
  });

  it.each([
    ['a 9-character password', { password: 'p'.repeat(9) }, 'body.password'],
    ['a 129-character password', { password: 'p'.repeat(129) }, 'body.password'],
    ['a 2-character username', { username: 'ab' }, 'body.username'],
    ['a username with a space', { username: 'ana maria' }, 'body.username'],
    ['a 65-character username', { username: 'u'.repeat(65) }, 'body.username'],
    ['an invalid e-mail', { email: 'ana@' }, 'body.email'],
    ['an unknown built-in role', { roleId: 'superuser' }, 'body.roleId'],
    ['a non-ULID branch id', { branchIds: ['main'] }, 'body.branchIds.0'],
    ['an unknown field', { isAdmin: true }, 'body.isAdmin'],
    ['a huge full name', { fullName: 'x'.repeat(10_000) }, 'body.fullName'],
  ])('answers 400 to %s', async (_, fields, path) => {
    const res = await createUser(fields);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('answers 400 to a custom role id that does not exist, and accepts one that does', async () => {
    const missing = await createUser({ roleId: ulid() });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ path: 'body.roleId', message: 'No such role' }]);

    const role = await call('POST', '/v1/roles', {
      token: org.token,
      body: { name: 'Greeter', permissions: ['tickets:create'] },
    });
    expect((await createUser({ roleId: role.body.id })).body.roleId).toBe(role.body.id);
    // Another tenant's role does not exist here.
    expect((await createUser({ roleId: role.body.id }, other.token)).status).toBe(400);
  });

  it('accepts live branches of the tenant and rejects unknown, deleted and foreign ones', async () => {
    const [mine, deleted, foreign] = await Promise.all([
      putBranch(org.tenant.id),
      putBranch(org.tenant.id, true),
      putBranch(other.tenant.id),
    ]);
    const ok = await createUser({ branchIds: [mine, mine] });
    expect(ok.status).toBe(201);
    expect(ok.body.branchIds).toEqual([mine]);
    expect((await createUser({ branchIds: [] })).body.branchIds).toEqual([]);

    const res = await createUser({ branchIds: [mine, deleted, ulid(), foreign] });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'body.branchIds.1',
      'body.branchIds.2',
      'body.branchIds.3',
    ]);
  });

  it('requires users:create (403 before validation) and a token (401)', async () => {
    const agent = await mintToken(env.signingKey, { tenantId: org.tenant.id, role: 'agent' });
    const manager = await mintToken(env.signingKey, { tenantId: org.tenant.id, role: 'manager' });
    expect((await call('POST', '/v1/users', { token: agent, body: { bogus: 1 } })).status).toBe(403);
    expect((await createUser({}, manager)).status).toBe(403);
    expect((await call('POST', '/v1/users', { body: {} })).status).toBe(401);
  });
});

describe('GET /v1/users', () => {
  it('pages through the users of the tenant only, leaving out deleted ones', async () => {
    const env2 = await verifiedTenant(env);
    const created: string[] = [env2.admin.id];
    for (let i = 0; i < 5; i++) created.push((await createUser({}, env2.token)).body.id);
    expect((await call('DELETE', `/v1/users/${created[2]}`, { token: env2.token })).status).toBe(204);
    const expected = created.filter((_, i) => i !== 2);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', '/v1/users', {
        token: env2.token,
        query: { limit: '2', ...(cursor && { cursor }) },
      });
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      expect(res.text).not.toMatch(/scrypt|passwordHash/);
      seen.push(...res.body.items.map((u: { id: string }) => u.id));
      cursor = res.body.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.sort()).toEqual(expected.sort());

    const all = await call('GET', '/v1/users', { token: env2.token });
    expect(all.body.items).toHaveLength(5);
    expect(all.body.nextCursor).toBeNull();
  });

  it('rejects a cursor of another tenant and bad limits', async () => {
    const first = await call('GET', '/v1/users', { token: other.token, query: { limit: '1' } });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const res = await call('GET', '/v1/users', {
      token: org.token,
      query: { cursor: first.body.nextCursor },
    });
    expect(res.status).toBe(400);
    for (const limit of ['0', '101', 'ten']) {
      expect((await call('GET', '/v1/users', { token: org.token, query: { limit } })).status).toBe(400);
    }
  });
});

describe('GET /v1/users/{userId} and GET /v1/me', () => {
  it('returns the user, and 404 for another tenant, an unknown or a deleted id', async () => {
    const user = (await createUser()).body;
    const res = await call('GET', `/v1/users/${user.id}`, { token: org.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(user);
    expect((await call('GET', `/v1/users/${user.id}`, { token: other.token })).status).toBe(404);
    expect((await call('GET', `/v1/users/${ulid()}`, { token: org.token })).status).toBe(404);
    expect((await call('GET', '/v1/users/not-a-ulid', { token: org.token })).status).toBe(400);
    await call('DELETE', `/v1/users/${user.id}`, { token: org.token });
    expect((await call('GET', `/v1/users/${user.id}`, { token: org.token })).status).toBe(404);
  });

  it('answers /v1/me for any role, with the user itself', async () => {
    const user = (await createUser({ roleId: 'display' })).body;
    const token = await mintToken(env.signingKey, {
      tenantId: org.tenant.id,
      userId: user.id,
      role: 'display',
    });
    const me = await call('GET', '/v1/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(user);
    expect(me.text).not.toMatch(/scrypt|passwordHash/);
  });
});

describe('PATCH /v1/users/{userId}', () => {
  it('changes the given fields only', async () => {
    const branch = await putBranch(org.tenant.id);
    const user = (await createUser({ email: 'old@example.com' })).body;
    const res = await call('PATCH', `/v1/users/${user.id}`, {
      token: org.token,
      body: { fullName: 'New Name', email: null, roleId: 'manager', branchIds: [branch] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...user,
      fullName: 'New Name',
      email: null,
      roleId: 'manager',
      branchIds: [branch],
      updatedAt: expect.any(String),
    });
    expect(res.body.updatedAt >= user.updatedAt).toBe(true);
    expect(res.text).not.toMatch(/scrypt|passwordHash/);
    expect((await call('GET', `/v1/users/${user.id}`, { token: org.token })).body).toEqual(res.body);
    // An update changes at least one field, as on every resource.
    const empty = await call('PATCH', `/v1/users/${user.id}`, { token: org.token, body: {} });
    expect(empty.status).toBe(400);
  });

  it('applies simultaneous PATCHes of one user without losing any', async () => {
    const branch = await putBranch(org.tenant.id);
    const user = (await createUser()).body;
    const patches = [
      { fullName: 'Parallel' },
      { email: 'p@example.com' },
      { roleId: 'kiosk' },
      { branchIds: [branch] },
    ];
    const results = await Promise.all(
      patches.map((body) => call('PATCH', `/v1/users/${user.id}`, { token: org.token, body })),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect((await call('GET', `/v1/users/${user.id}`, { token: org.token })).body).toMatchObject({
      fullName: 'Parallel',
      email: 'p@example.com',
      roleId: 'kiosk',
      branchIds: [branch],
    });
  });

  it('answers 409 to deactivating oneself but lets an admin deactivate others', async () => {
    const self = await call('PATCH', `/v1/users/${org.admin.id}`, {
      token: org.token,
      body: { active: false },
    });
    expect(self.status).toBe(409);
    expect((await call('GET', '/v1/me', { token: org.token })).body.active).toBe(true);
    const user = (await createUser()).body;
    const res = await call('PATCH', `/v1/users/${user.id}`, { token: org.token, body: { active: false } });
    expect(res.body.active).toBe(false);
  });

  it('answers 404 for another tenant or a deleted user, 400 for bad fields and unknown roles', async () => {
    const user = (await createUser()).body;
    const patch = (body: unknown, token = org.token) =>
      call('PATCH', `/v1/users/${user.id}`, { token, body });
    expect((await patch({ fullName: 'X' }, other.token)).status).toBe(404);
    expect((await patch({ username: 'renamed' })).status).toBe(400);
    expect((await patch({ password: 'short' })).status).toBe(400);
    expect((await patch({ roleId: ulid() })).status).toBe(400);
    expect((await patch({ branchIds: [ulid()] })).status).toBe(400);
    expect((await patch({ active: 'no' })).status).toBe(400);
    await call('DELETE', `/v1/users/${user.id}`, { token: org.token });
    expect((await patch({ fullName: 'X' })).status).toBe(404);
  });
});

describe('DELETE /v1/users/{userId}', () => {
  it('soft-deletes: 204, then 404, and the user cannot log in', async () => {
    const user = (await createUser()).body;
    expect((await call('DELETE', `/v1/users/${user.id}`, { token: other.token })).status).toBe(404);
    const res = await call('DELETE', `/v1/users/${user.id}`, { token: org.token });
    expect(res.status).toBe(204);
    expect((await call('DELETE', `/v1/users/${user.id}`, { token: org.token })).status).toBe(404);
    const login = await call('POST', '/v1/auth/login', {
      body: { tenant: org.tenant.slug, username: user.username, password: PASSWORD },
    });
    expect(login.status).toBe(401);
  });

  it('answers 409 to deleting oneself', async () => {
    const res = await call('DELETE', `/v1/users/${org.admin.id}`, { token: org.token });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/\/cannot-delete-self$/);
  });
});

describe.concurrent('users: shapes and rules', () => {
  it('POST /v1/users → 201 the user; email optional (null), branchIds absent = null (all branches)', async () => {
    const res = await createUser({ fullName: 'Ann Agent' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(USER_FIELDS);
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
    const name = uniqueUsername();
    expect((await createUser({ username: name })).status).toBe(201);
    expect((await createUser({ username: name.toUpperCase() })).status).toBe(409);
  });

  it('password: 10–128 characters (9 and 129 → 400)', async () => {
    expect((await createUser({ password: 'x'.repeat(9) })).status).toBe(400);
    // 10 and 128 are accepted: 'accepts passwords of 10 and 128 characters' above.
    expect((await createUser({ password: 'x'.repeat(129) })).status).toBe(400);
    const patch = await call('PATCH', `/v1/users/${org.admin.id}`, {
      token: org.token,
      body: { password: 'short' },
    });
    expect(patch.status).toBe(400);
  });

  it('PATCH is partial; DELETE → 204, then 404 and not listed', async () => {
    const u = { body: await storedUser(org.tenant.id, { email: 'x@example.com' }) };
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
    const scoped = { body: await storedUser(org.tenant.id, { branchIds: [a.branchId], roleId: 'admin' }) };
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
