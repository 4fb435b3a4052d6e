import { decodeJwt } from 'jose';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { PERMISSION_IDS } from '#core/domain/permissions';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { login, PASSWORD, postUser, storedUser, verifiedTenant } from '#tests/support/identity-fixtures';
import { ISO_MS, PERMISSION_CATALOG, ULID } from '#tests/support/rules';
import { mintToken } from '#tests/support/tokens';

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
let other: Awaited<ReturnType<typeof verifiedTenant>>;
beforeAll(async () => {
  env = await createTestEnv();
  [org, other] = await Promise.all([verifiedTenant(env), verifiedTenant(env)]);
});

const createRole = (body: unknown, token = org.token) => call('POST', '/v1/roles', { token, body });

describe('GET /v1/permissions', () => {
  it('lists the whole catalog to any authenticated user', async () => {
    const kiosk = await mintToken(env.signingKey, { tenantId: org.tenant.id, role: 'kiosk' });
    const res = await call('GET', '/v1/permissions', { token: kiosk });
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual(PERMISSION_IDS);
    expect(res.body.items).toContainEqual({
      id: 'tickets:serve',
      module: 'tickets',
      action: 'serve',
      description: expect.any(String),
    });
    expect((await call('GET', '/v1/permissions')).status).toBe(401);
  });
});

describe('roles', () => {
  it('lists the built-in roles first, marked builtIn, then custom roles, page by page', async () => {
    const tenant = await verifiedTenant(env);
    const custom = await createRole({ name: 'Night shift', permissions: ['tickets:read'] }, tenant.token);
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await call('GET', '/v1/roles', {
        token: tenant.token,
        query: { limit: '4', ...(cursor && { cursor }) },
      });
      expect(res.status).toBe(200);
      ids.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor);
    expect(ids).toEqual(['admin', 'agent', 'display', 'kiosk', 'manager', custom.body.id]);

    const all = await call('GET', '/v1/roles', { token: tenant.token });
    const admin = all.body.items.find((r: { id: string }) => r.id === 'admin');
    expect(admin).toMatchObject({ name: 'Administrator', builtIn: true, permissions: PERMISSION_IDS });
    expect(all.body.items.at(-1)).toMatchObject({ name: 'Night shift', builtIn: false });

    const page = await call('GET', '/v1/roles', { token: tenant.token, query: { limit: '1' } });
    const foreign = await call('GET', '/v1/roles', {
      token: org.token,
      query: { cursor: page.body.nextCursor },
    });
    expect(foreign.status).toBe(400);
  });

  it('creates a custom role with its permissions in catalog order, without repeats', async () => {
    const res = await createRole({
      name: 'Floor lead',
      permissions: ['tickets:reassign', 'queues:read', 'tickets:reassign', 'branches:read'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9A-Z]{26}$/),
      name: 'Floor lead',
      permissions: ['branches:read', 'queues:read', 'tickets:reassign'],
      builtIn: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const got = await call('GET', `/v1/roles/${res.body.id}`, { token: org.token });
    expect(got.body).toEqual(res.body);
  });

  it.each([
    ['an unknown permission', { name: 'X', permissions: ['tickets:fly'] }, 'body.permissions.0'],
    ['a missing name', { permissions: [] }, 'body.name'],
    ['a blank name', { name: '   ', permissions: [] }, 'body.name'],
    ['an unknown field', { name: 'X', permissions: [], builtIn: true }, 'body.builtIn'],
  ])('answers 400 to %s', async (_, body, path) => {
    const res = await createRole(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('needs roles:create to create and roles:read to read', async () => {
    const manager = await mintToken(env.signingKey, { tenantId: org.tenant.id, role: 'manager' });
    const agent = await mintToken(env.signingKey, { tenantId: org.tenant.id, role: 'agent' });
    expect((await createRole({ name: 'X', permissions: [] }, manager)).status).toBe(403);
    expect((await call('GET', '/v1/roles', { token: manager })).status).toBe(200);
    expect((await call('GET', '/v1/roles', { token: agent })).status).toBe(403);
  });

  it('reads built-in roles by id and answers 404 for unknown or foreign ids, 400 for malformed ones', async () => {
    const agent = await call('GET', '/v1/roles/agent', { token: org.token });
    expect(agent.body).toMatchObject({
      id: 'agent',
      builtIn: true,
      permissions: expect.arrayContaining(['tickets:serve']),
    });
    const mine = await createRole({ name: 'Mine', permissions: [] });
    expect((await call('GET', `/v1/roles/${mine.body.id}`, { token: other.token })).status).toBe(404);
    expect((await call('GET', `/v1/roles/${ulid()}`, { token: org.token })).status).toBe(404);
    expect((await call('GET', '/v1/roles/owner', { token: org.token })).status).toBe(400);
  });

  it('updates custom roles only: 409 for built-in ones, 404 for unknown or foreign ones', async () => {
    const role = await createRole({ name: 'Before', permissions: ['tickets:read'] });
    const res = await call('PATCH', `/v1/roles/${role.body.id}`, {
      token: org.token,
      body: { name: 'After' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: role.body.id, name: 'After', permissions: ['tickets:read'] });
    const perms = await call('PATCH', `/v1/roles/${role.body.id}`, {
      token: org.token,
      body: { permissions: ['reports:read', 'tickets:read'] },
    });
    expect(perms.body).toMatchObject({ name: 'After', permissions: ['tickets:read', 'reports:read'] });

    const builtIn = await call('PATCH', '/v1/roles/admin', { token: org.token, body: { name: 'Boss' } });
    expect(builtIn.status).toBe(409);
    expect(builtIn.body.type).toMatch(/\/built-in-role$/);
    expect((await call('GET', '/v1/roles/admin', { token: org.token })).body.name).toBe('Administrator');
    const foreign = await call('PATCH', `/v1/roles/${role.body.id}`, {
      token: other.token,
      body: { name: 'X' },
    });
    expect(foreign.status).toBe(404);
    const bad = await call('PATCH', `/v1/roles/${role.body.id}`, {
      token: org.token,
      body: { permissions: ['nope:nope'] },
    });
    expect(bad.status).toBe(400);
  });

  it('deletes a custom role only while no active user has it', async () => {
    const role = await createRole({ name: 'Temp', permissions: ['tickets:read'] });
    const user = await call('POST', '/v1/users', {
      token: org.token,
      body: { username: `temp.${Date.now()}`, password: PASSWORD, fullName: 'Temp', roleId: role.body.id },
    });
    const inUse = await call('DELETE', `/v1/roles/${role.body.id}`, { token: org.token });
    expect(inUse.status).toBe(409);
    expect(inUse.body.type).toMatch(/\/role-in-use$/);

    // An inactive user no longer holds it.
    await call('PATCH', `/v1/users/${user.body.id}`, { token: org.token, body: { active: false } });
    expect((await call('DELETE', `/v1/roles/${role.body.id}`, { token: other.token })).status).toBe(404);
    expect((await call('DELETE', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(204);
    expect((await call('GET', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(404);
    expect((await call('DELETE', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(404);
    // Reactivating onto a deleted role is refused.
    const back = await call('PATCH', `/v1/users/${user.body.id}`, {
      token: org.token,
      body: { active: true, roleId: role.body.id },
    });
    expect(back.status).toBe(400);
  });

  it('releases a role when its last user is deleted or moved to another role', async () => {
    const role = await createRole({ name: 'Short-lived', permissions: [] });
    const make = () =>
      call('POST', '/v1/users', {
        token: org.token,
        body: { username: `sl.${ulid()}`, password: PASSWORD, fullName: 'S', roleId: role.body.id },
      });
    const [a, b] = await Promise.all([make(), make()]);
    await call('DELETE', `/v1/users/${a.body.id}`, { token: org.token });
    expect((await call('DELETE', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(409);
    await call('PATCH', `/v1/users/${b.body.id}`, { token: org.token, body: { roleId: 'agent' } });
    expect((await call('DELETE', `/v1/roles/${role.body.id}`, { token: org.token })).status).toBe(204);
  });

  it('refuses to delete built-in roles', async () => {
    const res = await call('DELETE', '/v1/roles/display', { token: org.token });
    expect(res.status).toBe(409);
  });

  it('gives users of a custom role exactly its permissions in their tokens', async () => {
    const role = await createRole({ name: 'Reporter', permissions: ['reports:read', 'branches:read'] });
    const username = `rep.${Date.now()}`;
    await call('POST', '/v1/users', {
      token: org.token,
      body: { username, password: PASSWORD, fullName: 'Rep', roleId: role.body.id },
    });
    const session = await login(org.tenant.slug, username, PASSWORD);
    expect(decodeJwt(session.body.accessToken)).toMatchObject({
      role: role.body.id,
      perms: ['branches:read', 'reports:read'],
    });
    expect((await call('GET', '/v1/users', { token: session.body.accessToken })).status).toBe(403);
  });
});

describe.concurrent('permissions and roles: the catalog and the built-in roles', () => {
  it('GET /v1/permissions → { items: [{ id, module, action, description }] }, exactly the catalog', async () => {
    const res = await call('GET', '/v1/permissions', { token: org.token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['items']);
    expect(res.body.items.map((p: any) => p.id).sort()).toEqual([...PERMISSION_CATALOG].sort());
    for (const p of res.body.items) {
      expect(Object.keys(p).sort()).toEqual(['action', 'description', 'id', 'module']);
      expect(`${p.module}:${p.action}`).toBe(p.id);
    }
  });

  it('built-in roles have literal ids, builtIn: true and the permission sets of the rules', async () => {
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
    expect(perms('admin')).toEqual([...PERMISSION_CATALOG].sort());
    const identityWrites = ['users', 'roles'].flatMap((m) =>
      ['create', 'update', 'delete'].map((a) => `${m}:${a}`),
    );
    expect(perms('manager')).toEqual(PERMISSION_CATALOG.filter((p) => !identityWrites.includes(p)).sort());
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
    const user = await storedUser(org.tenant.id, { roleId: role.body.id });
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
    expect((await postUser(manager)).status).toBe(403);
    expect(
      (await call('POST', '/v1/roles', { token: manager, body: { name: 'x', permissions: [] } })).status,
    ).toBe(403);
  });
});
