import type { DeserializeHandler, DeserializeHandlerArguments } from '@smithy/types';
import { decodeJwt } from 'jose';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo } from '#core/adapters/dynamo/client';
import { userSortKey } from '#core/adapters/dynamo/items/user';
import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { applyUserPatch, type User } from '#core/domain/user';
import { type ApiResponse, call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { login, PASSWORD, putBranch, storedUser, verifiedTenant } from '#tests/support/identity-fixtures';
import { mintToken } from '#tests/support/tokens';

/**
 * No escalation, reproduced the way an insider would try it: logged-in users with partial
 * rights, through the real handlers on DynamoDB Local. Each attempt must answer 403
 * `…/problems/escalation` and change nothing.
 */

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
let branchA: string;
let branchB: string;
beforeAll(async () => {
  env = await createTestEnv();
  org = await verifiedTenant(env);
  [branchA, branchB] = await Promise.all([putBranch(org.tenant.id), putBranch(org.tenant.id)]);
});

const NEW_PASSWORD = 'a brand new password';

function expectEscalation(res: ApiResponse, what: string) {
  expect(res.status, `${what} → ${res.status} ${res.text}`).toBe(403);
  expect(res.headers['content-type'], what).toBe('application/problem+json');
  expect(res.body.type, what).toMatch(/\/problems\/escalation$/);
}

const asOwner = (method: string, path: string, body?: unknown) =>
  call(method, path, { token: org.token, body });
const getUser = async (id: string) => (await asOwner('GET', `/v1/users/${id}`)).body;

/** A custom role and a user holding it (scoped to `branchIds`), logged in for real. */
async function insider(permissions: string[], branchIds: string[] | null) {
  const role = (await asOwner('POST', '/v1/roles', { name: `Role ${ulid()}`, permissions })).body;
  const user = await storedUser(org.tenant.id, { roleId: role.id, branchIds });
  const session = await login(org.tenant.slug, user.username, PASSWORD);
  expect(session.status).toBe(200);
  return { role, user, token: session.body.accessToken as string };
}

describe('a custom role that may edit users', () => {
  it('cannot make itself admin, nor widen its own branches, nor touch the owner', async () => {
    const ed = await insider(['users:read', 'users:update'], [branchA]);
    const patchSelf = (body: unknown) => call('PATCH', `/v1/users/${ed.user.id}`, { token: ed.token, body });

    expectEscalation(await patchSelf({ roleId: 'admin' }), 'role admin');
    expectEscalation(await patchSelf({ branchIds: null }), 'every branch');
    expectEscalation(await patchSelf({ branchIds: [branchA, branchB] }), 'another branch');
    expectEscalation(await patchSelf({ roleId: 'admin', branchIds: null }), 'both at once');
    const owner = await call('PATCH', `/v1/users/${org.admin.id}`, {
      token: ed.token,
      body: { password: NEW_PASSWORD },
    });
    expectEscalation(owner, "the owner's password");

    expect(await getUser(ed.user.id)).toEqual(ed.user);
    const again = await login(org.tenant.slug, ed.user.username, PASSWORD);
    expect(decodeJwt(again.body.accessToken)).toMatchObject({
      role: ed.role.id,
      perms: ['users:read', 'users:update'],
      branches: [branchA],
    });
    expect((await login(org.tenant.slug, 'Admin.User', PASSWORD)).status).toBe(200);

    // It may still change what is within its reach, and lower its own grants.
    expect((await patchSelf({ fullName: 'Ed Itor' })).status).toBe(200);
    const lowered = await patchSelf({ branchIds: [] });
    expect(lowered.status).toBe(200);
    expect(lowered.body.branchIds).toEqual([]);
  });

  it('cannot hand out a role it does not hold all of', async () => {
    const ed = await insider(['users:read', 'users:update', 'users:create', 'tickets:read'], null);
    const reader = (await asOwner('POST', '/v1/roles', { name: 'Reader', permissions: ['tickets:read'] }))
      .body;
    const target = await storedUser(org.tenant.id, { roleId: reader.id, branchIds: [branchA] });
    const patch = (body: unknown) => call('PATCH', `/v1/users/${target.id}`, { token: ed.token, body });
    expectEscalation(await patch({ roleId: 'agent' }), 'agent');
    expectEscalation(await patch({ roleId: 'display', fullName: 'Sneaky' }), 'display');
    const create = await call('POST', '/v1/users', {
      token: ed.token,
      body: { username: `x.${ulid()}`, password: PASSWORD, fullName: 'X', roleId: 'manager' },
    });
    expectEscalation(create, 'create a manager');
    expect(await getUser(target.id)).toEqual(target);
    // Its own role it holds all of.
    expect((await patch({ roleId: ed.role.id })).status).toBe(200);
  });
});

describe('a custom role that may edit roles', () => {
  it('cannot add permissions to its own role, so cannot go on to edit users', async () => {
    const re = await insider(['roles:read', 'roles:update', 'users:read'], null);
    const res = await call('PATCH', `/v1/roles/${re.role.id}`, {
      token: re.token,
      body: { permissions: [...re.role.permissions, 'users:update'] },
    });
    expectEscalation(res, 'users:update into its own role');
    expect((await asOwner('GET', `/v1/roles/${re.role.id}`)).body).toEqual(re.role);

    const patchSelf = await call('PATCH', `/v1/users/${re.user.id}`, {
      token: re.token,
      body: { roleId: 'admin' },
    });
    expect(patchSelf.status).toBe(403);
    expect(await getUser(re.user.id)).toEqual(re.user);
    const again = await login(org.tenant.slug, re.user.username, PASSWORD);
    expect(decodeJwt(again.body.accessToken).perms).toEqual(re.role.permissions);
  });
});

describe('an admin limited to one branch', () => {
  let local: { user: User; token: string };
  beforeAll(async () => {
    const user = await storedUser(org.tenant.id, { roleId: 'admin', branchIds: [branchA] });
    const session = await login(org.tenant.slug, user.username, PASSWORD);
    local = { user, token: session.body.accessToken };
  });

  it('cannot give itself every branch', async () => {
    const res = await call('PATCH', `/v1/users/${local.user.id}`, {
      token: local.token,
      body: { branchIds: null },
    });
    expectEscalation(res, 'self to every branch');
    expect(await getUser(local.user.id)).toEqual(local.user);
  });

  it('cannot create an all-branch admin, even by leaving branchIds out', async () => {
    for (const branchIds of [null, undefined, [branchA, branchB]]) {
      const username = `boss.${ulid()}`.toLowerCase();
      const res = await call('POST', '/v1/users', {
        token: local.token,
        body: { username, password: PASSWORD, fullName: 'Boss', roleId: 'admin', branchIds },
      });
      expectEscalation(res, `branchIds ${JSON.stringify(branchIds)}`);
    }
    const users = await call('GET', '/v1/users', { token: org.token, query: { limit: '100' } });
    expect(users.body.items.filter((u: User) => u.username.startsWith('boss.'))).toEqual([]);
    const within = await call('POST', '/v1/users', {
      token: local.token,
      body: {
        username: `a.${ulid()}`,
        password: PASSWORD,
        fullName: 'A',
        roleId: 'admin',
        branchIds: [branchA],
      },
    });
    expect(within.status).toBe(201);
  });

  it("cannot change the tenant owner's password, deactivate or delete it", async () => {
    const before = await getUser(org.admin.id);
    const patch = (body: unknown) => call('PATCH', `/v1/users/${org.admin.id}`, { token: local.token, body });
    expectEscalation(await patch({ password: NEW_PASSWORD }), 'password');
    expectEscalation(await patch({ active: false }), 'deactivate');
    expectEscalation(await patch({ fullName: 'Pwned' }), 'rename');
    expectEscalation(await call('DELETE', `/v1/users/${org.admin.id}`, { token: local.token }), 'delete');
    expect(await getUser(org.admin.id)).toEqual(before);
    expect((await login(org.tenant.slug, 'Admin.User', PASSWORD)).status).toBe(200);
    expect((await login(org.tenant.slug, 'Admin.User', NEW_PASSWORD)).status).toBe(401);
  });

  it('may still read users out of its reach (reading hands out nothing)', async () => {
    expect((await call('GET', `/v1/users/${org.admin.id}`, { token: local.token })).status).toBe(200);
    const list = await call('GET', '/v1/users', { token: local.token, query: { limit: '100' } });
    expect(list.body.items.map((u: { id: string }) => u.id)).toContain(org.admin.id);
  });
});

describe('order of checks and edge cases', () => {
  it('answers 400 and 404 before escalation, escalation before 409', async () => {
    const token = await mintToken(env.signingKey, {
      tenantId: org.tenant.id,
      role: 'admin',
      branches: [branchA],
    });
    const patch = (id: string, body: unknown) => call('PATCH', `/v1/users/${id}`, { token, body });
    expect((await patch(org.admin.id, { roleId: ulid() })).status).toBe(400);
    expect((await patch(org.admin.id, { branchIds: [ulid()] })).status).toBe(400);
    expect((await patch(ulid(), { branchIds: null })).status).toBe(404);
    expect((await call('DELETE', `/v1/users/${ulid()}`, { token })).status).toBe(404);
    // Taken username, but escalation is told first.
    const dup = await call('POST', '/v1/users', {
      token,
      body: { username: 'admin.user', password: PASSWORD, fullName: 'D', roleId: 'admin' },
    });
    expectEscalation(dup, 'taken username, every branch');
    // A built-in role out of reach: escalation before "built-in roles cannot change".
    const roleEditor = await mintToken(env.signingKey, {
      tenantId: org.tenant.id,
      role: ulid(),
      perms: ['roles:update', 'roles:delete'],
    });
    expectEscalation(
      await call('PATCH', '/v1/roles/display', { token: roleEditor, body: { name: 'D' } }),
      'built-in',
    );
    expectEscalation(await call('DELETE', '/v1/roles/display', { token: roleEditor }), 'delete built-in');
    expect((await call('PATCH', '/v1/roles/display', { token: org.token, body: { name: 'D' } })).status).toBe(
      409,
    );
  });

  it('treats a user whose custom role was deleted under it as holding no permissions', async () => {
    const role = (await asOwner('POST', '/v1/roles', { name: 'Gone', permissions: ['reports:read'] })).body;
    const orphan = await storedUser(org.tenant.id, { roleId: role.id, branchIds: [branchA] });
    const token = await mintToken(env.signingKey, {
      tenantId: org.tenant.id,
      role: ulid(),
      perms: ['users:update'],
      branches: [branchA],
    });
    const rename = () => call('PATCH', `/v1/users/${orphan.id}`, { token, body: { fullName: 'Found' } });
    expectEscalation(await rename(), 'reports:read not held');
    // The narrow race in which a role is deleted under its user, played straight on the store.
    expect(await dynamoRoleStore.delete(org.tenant.id, role.id)).toBe(true);
    expect((await rename()).status).toBe(200);
  });
});

/**
 * Runs `action` once, just before the first TransactWriteItems on the user `userId` is sent:
 * another writer getting in between the use case's read (and check) and its conditional write.
 */
function beforeNextWriteOf(userId: string, action: () => Promise<void>) {
  const name = `interleave-${ulid()}`;
  let fired = false;
  dynamo().middlewareStack.add(
    (next: DeserializeHandler<any, any>, context) => async (args: DeserializeHandlerArguments<any>) => {
      const input = args.input as Record<string, any>;
      const sk = input.TransactItems?.[0]?.Update?.Key?.sk?.S;
      if (!fired && context.commandName === 'TransactWriteItemsCommand' && sk === userSortKey(userId)) {
        fired = true;
        await action();
      }
      return next(args);
    },
    { step: 'deserialize', name, priority: 'high' },
  );
  return () => dynamo().middlewareStack.remove(name);
}

/** The owner's write, straight to the store: the user becomes an all-branch admin. */
async function promote(userId: string) {
  const current = (await dynamoUserStore.get(org.tenant.id, userId))!;
  const promoted = applyUserPatch(current, { roleId: 'admin', branchIds: null }, new Date());
  expect(await dynamoUserStore.update(promoted, current.version)).toBe('updated');
}

describe('a user promoted between the check and the write', () => {
  const editor = () =>
    mintToken(env.signingKey, {
      tenantId: org.tenant.id,
      role: 'agent-admin',
      perms: ['users:update', 'users:delete', 'branches:read', 'queues:read', 'tickets:read'],
      branches: [branchA],
    });

  it('is checked again before an update lands', async () => {
    const target = await storedUser(org.tenant.id, { roleId: 'display', branchIds: [branchA] });
    const remove = beforeNextWriteOf(target.id, () => promote(target.id));
    try {
      const res = await call('PATCH', `/v1/users/${target.id}`, {
        token: await editor(),
        body: { password: NEW_PASSWORD },
      });
      expectEscalation(res, 'update after promotion');
    } finally {
      remove();
    }
    expect(await getUser(target.id)).toMatchObject({ roleId: 'admin', branchIds: null });
    expect((await login(org.tenant.slug, target.username, PASSWORD)).status).toBe(200);
  });

  it('is checked again before a delete lands', async () => {
    const target = await storedUser(org.tenant.id, { roleId: 'display', branchIds: [branchA] });
    const remove = beforeNextWriteOf(target.id, () => promote(target.id));
    try {
      const res = await call('DELETE', `/v1/users/${target.id}`, { token: await editor() });
      expectEscalation(res, 'delete after promotion');
    } finally {
      remove();
    }
    expect(await getUser(target.id)).toMatchObject({ roleId: 'admin', branchIds: null });
  });
});
