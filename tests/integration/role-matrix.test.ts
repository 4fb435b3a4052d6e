import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import type { RouteDef } from '#core/contract/define';
import { routes } from '#core/contract/index';
import { type BuiltInRoleId, builtInRole, type Permission } from '#core/domain/permissions';
import { type ApiResponse, call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { PASSWORD, putBranch, storedUser, verifiedTenant } from '#tests/support/identity-fixtures';
import { mintToken } from '#tests/support/tokens';

/**
 * Every bearer route × no token and × every built-in role (docs/rules.md#quality-bars), driven by
 * the route table. A role without the route's permission gets 403; a role with it gets past both
 * checks, which any answer but 401/403 proves (random ids and no body usually end in 400 or 404).
 */

const ROLES: BuiltInRoleId[] = ['admin', 'manager', 'agent', 'kiosk', 'display'];

/** Every /v1 route needs a token except these (docs/rules.md#routes-and-formats). */
const PUBLIC_V1 = [
  'POST /v1/signup',
  'POST /v1/auth/verify-email',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/logout',
  'POST /v1/auth/forgot-password',
  'POST /v1/auth/reset-password',
  'GET /v1/live',
];

const label = (r: RouteDef) => `${r.method} ${r.path}`;
const fill = (path: string) => path.replace(/\{\w+\}/g, () => ulid());
const bearerRoutes = routes.filter((r) => r.auth === 'bearer');

let env: TestEnv;
const tenantId = ulid();
const tokens = new Map<BuiltInRoleId, string>();
beforeAll(async () => {
  env = await createTestEnv();
  for (const role of ROLES)
    tokens.set(role, await mintToken(env.signingKey, { tenantId, role, branches: ['*'] }));
});

function expectProblem(res: ApiResponse, status: number, what: string) {
  expect(res.status, `${what} → ${res.status} ${res.text}`).toBe(status);
  expect(res.headers['content-type'], what).toBe('application/problem+json');
  expect(res.body, what).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
}

describe('route table access rules', () => {
  it('requires a bearer token on every /v1 route but the public ones', () => {
    for (const r of routes.filter((x) => x.path.startsWith('/v1/'))) {
      const isPublic = PUBLIC_V1.includes(label(r)) || r.path.startsWith('/v1/public/');
      expect(r.auth, label(r)).toBe(isPublic ? 'none' : 'bearer');
    }
  });

  it('gives every built-in role only catalog permissions', () => {
    expect(builtInRole('admin')!.permissions.length).toBeGreaterThan(0);
    for (const r of bearerRoutes.filter((x) => x.permission)) {
      expect(builtInRole('admin')!.permissions, label(r)).toContain(r.permission);
    }
  });
});

for (const r of bearerRoutes) {
  describe(label(r), () => {
    it('answers 401 with WWW-Authenticate: Bearer without a token', async () => {
      const res = await call(r.method, fill(r.path));
      expectProblem(res, 401, label(r));
      expect(res.headers['www-authenticate']).toBe('Bearer');
    });

    it.each(['Basic YWRtaW46YWRtaW4=', 'Bearer', 'Bearer not.a.jwt', 'bearer abc'])(
      'answers 401 to Authorization: %s',
      async (authorization) => {
        const res = await call(r.method, fill(r.path), { headers: { authorization } });
        expectProblem(res, 401, `${label(r)} with ${authorization}`);
        expect(res.headers['www-authenticate']).toBe('Bearer');
      },
    );

    it.each(ROLES)('lets %s through exactly when it holds the permission', async (role) => {
      const allowed = !r.permission || builtInRole(role)!.permissions.includes(r.permission);
      const res = await call(r.method, fill(r.path), { token: tokens.get(role) });
      const what = `${role} on ${label(r)} (needs ${r.permission ?? 'a token'})`;
      if (allowed) {
        expect([401, 403], `${what} → ${res.status} ${res.text}`).not.toContain(res.status);
        expect(res.status, `${what} → ${res.text}`).toBeLessThan(500);
      } else {
        expectProblem(res, 403, what);
      }
    });
  });
}

/**
 * Insiders: custom roles with partial rights and admins limited to one branch, on the user and
 * role routes. Whoever passes the route's permission may still only touch users and roles that
 * hold no more than it does, and hand out no more than it holds (403 `…/escalation`).
 */
describe('insiders on the user and role routes', () => {
  type ScopeName = 'A' | 'B' | 'AB' | 'none' | 'all';
  type Expected = 200 | 201 | 204 | 409 | 'escalation' | 'forbidden';
  const CUSTOM: Record<string, Permission[]> = {
    hr: [...builtInRole('agent')!.permissions, 'users:create', 'users:read', 'users:update', 'users:delete'],
    viewer: ['users:read'],
    reader: ['tickets:read'],
    reporter: ['reports:read'],
  };
  const CALLERS = {
    'admin@A': { role: 'admin', branches: 'A' },
    'hr@A': { role: 'hr', branches: 'A' },
    'userEditor@all': { role: ulid(), perms: ['users:read', 'users:update'], branches: 'all' },
    'roleAdmin@all': {
      role: ulid(),
      perms: ['roles:create', 'roles:read', 'roles:update', 'roles:delete', 'tickets:read'],
      branches: 'all',
    },
  } as const satisfies Record<string, { role: string; perms?: Permission[]; branches: ScopeName }>;
  type Caller = keyof typeof CALLERS;

  let tenant: string;
  let scopes: Record<ScopeName, string[] | null>;
  const roleIds: Record<string, string> = {};
  const callerTokens = new Map<Caller, string>();
  beforeAll(async () => {
    tenant = (await verifiedTenant(env)).tenant.id;
    const [a, b] = await Promise.all([putBranch(tenant), putBranch(tenant)]);
    scopes = { A: [a!], B: [b!], AB: [a!, b!], none: [], all: null };
    for (const [name, permissions] of Object.entries(CUSTOM))
      roleIds[name] = (await customRole(permissions)).id;
    for (const [name, c] of Object.entries(CALLERS) as [Caller, (typeof CALLERS)[Caller]][]) {
      const perms = 'perms' in c ? c.perms : (builtInRole(c.role)?.permissions ?? CUSTOM[c.role]!);
      const branches = scopes[c.branches] ?? ['*'];
      callerTokens.set(
        name,
        await mintToken(env.signingKey, { tenantId: tenant, role: c.role, perms, branches }),
      );
    }
  });

  async function customRole(permissions: Permission[]) {
    const at = new Date().toISOString();
    const role = { id: ulid(), name: 'Custom', permissions, builtIn: false, createdAt: at, updatedAt: at };
    await dynamoRoleStore.create(tenant, role);
    return role;
  }
  const roleIdOf = (name: string) => roleIds[name] ?? name;
  /** Symbolic role and scope names in a body, made real. */
  const resolve = (body: Record<string, unknown> = {}) => ({
    ...body,
    ...(typeof body.roleId === 'string' && { roleId: roleIdOf(body.roleId) }),
    ...(typeof body.branchIds === 'string' && { branchIds: scopes[body.branchIds as ScopeName] }),
  });

  function expectAnswer(res: ApiResponse, expected: Expected, what: string) {
    if (typeof expected === 'number') return expect(res.status, `${what} → ${res.text}`).toBe(expected);
    expectProblem(res, 403, what);
    expect(res.body.type, what).toMatch(new RegExp(`/${expected}$`));
  }

  /** [caller, method, target user as `role@scope` (none for a create), body, answer] */
  const USER_CASES: [Caller, 'POST' | 'PATCH' | 'DELETE', string, Record<string, unknown>?, Expected?][] = [
    ['admin@A', 'PATCH', 'agent@A', { fullName: 'X' }, 200],
    ['admin@A', 'PATCH', 'agent@none', { fullName: 'X' }, 200],
    ['admin@A', 'PATCH', 'admin@A', { fullName: 'X' }, 200],
    ['admin@A', 'PATCH', 'agent@B', { fullName: 'X' }, 'escalation'],
    ['admin@A', 'PATCH', 'agent@AB', { fullName: 'X' }, 'escalation'],
    ['admin@A', 'PATCH', 'agent@all', { fullName: 'X' }, 'escalation'],
    ['admin@A', 'PATCH', 'admin@all', { active: false }, 'escalation'],
    ['admin@A', 'PATCH', 'agent@A', { roleId: 'admin' }, 200],
    ['admin@A', 'PATCH', 'agent@A', { branchIds: 'AB' }, 'escalation'],
    ['admin@A', 'PATCH', 'agent@A', { branchIds: 'all' }, 'escalation'],
    ['admin@A', 'PATCH', 'agent@A', { branchIds: 'none' }, 200],
    ['admin@A', 'DELETE', 'agent@A', undefined, 204],
    ['admin@A', 'DELETE', 'agent@B', undefined, 'escalation'],
    ['admin@A', 'DELETE', 'admin@all', undefined, 'escalation'],
    ['admin@A', 'POST', '', { roleId: 'agent', branchIds: 'A' }, 201],
    ['admin@A', 'POST', '', { roleId: 'agent', branchIds: 'B' }, 'escalation'],
    ['admin@A', 'POST', '', { roleId: 'agent', branchIds: 'all' }, 'escalation'],
    ['admin@A', 'POST', '', { roleId: 'agent' }, 'escalation'],
    ['hr@A', 'PATCH', 'agent@A', { fullName: 'X' }, 200],
    ['hr@A', 'PATCH', 'display@A', { fullName: 'X' }, 200],
    ['hr@A', 'PATCH', 'manager@A', { fullName: 'X' }, 'escalation'],
    ['hr@A', 'PATCH', 'admin@A', { fullName: 'X' }, 'escalation'],
    ['hr@A', 'PATCH', 'agent@B', { fullName: 'X' }, 'escalation'],
    ['hr@A', 'PATCH', 'agent@A', { roleId: 'kiosk' }, 200],
    ['hr@A', 'PATCH', 'agent@A', { roleId: 'hr' }, 200],
    ['hr@A', 'PATCH', 'agent@A', { roleId: 'manager' }, 'escalation'],
    ['hr@A', 'PATCH', 'agent@A', { roleId: 'reporter' }, 'escalation'],
    ['hr@A', 'DELETE', 'kiosk@A', undefined, 204],
    ['hr@A', 'DELETE', 'manager@A', undefined, 'escalation'],
    ['hr@A', 'POST', '', { roleId: 'kiosk', branchIds: 'A' }, 201],
    ['hr@A', 'POST', '', { roleId: 'manager', branchIds: 'A' }, 'escalation'],
    ['hr@A', 'POST', '', { roleId: 'admin', branchIds: 'A' }, 'escalation'],
    ['userEditor@all', 'PATCH', 'viewer@B', { branchIds: 'all' }, 200],
    ['userEditor@all', 'PATCH', 'viewer@all', { fullName: 'X' }, 200],
    ['userEditor@all', 'PATCH', 'reader@all', { fullName: 'X' }, 'escalation'],
    ['userEditor@all', 'PATCH', 'agent@A', { fullName: 'X' }, 'escalation'],
    ['userEditor@all', 'PATCH', 'viewer@all', { roleId: 'admin' }, 'escalation'],
    ['userEditor@all', 'DELETE', 'viewer@all', undefined, 'forbidden'],
    ['userEditor@all', 'POST', '', { roleId: 'viewer' }, 'forbidden'],
  ];

  it.each(USER_CASES)('%s: %s user %s %j → %s', async (caller, method, target, body, expected) => {
    const token = callerTokens.get(caller);
    let path = '/v1/users';
    let before: unknown;
    if (target) {
      const [role, scope] = target.split('@') as [string, ScopeName];
      const user = await storedUser(tenant, { roleId: roleIdOf(role), branchIds: scopes[scope] });
      path = `/v1/users/${user.id}`;
      before = await dynamoUserStore.get(tenant, user.id);
    }
    const username = `m.${ulid()}`.toLowerCase();
    const create = { username, password: PASSWORD, fullName: 'M' };
    const res = await call(method, path, {
      token,
      body: body && resolve(method === 'POST' ? { ...create, ...body } : body),
    });
    const what = `${caller}: ${method} ${target} ${JSON.stringify(body)}`;
    expectAnswer(res, expected!, what);
    if (typeof expected === 'string' && target) {
      expect(await dynamoUserStore.get(tenant, path.split('/').pop()!), what).toEqual(before);
    }
    if (typeof expected === 'string' && !target) {
      expect(await dynamoUserStore.findByUsername(tenant, username), what).toBeUndefined();
    }
  });

  /** [caller, method, target role (a built-in id or a fresh copy of a custom one), body, answer] */
  const ROLE_CASES: [Caller, 'POST' | 'PATCH' | 'DELETE', string, Record<string, unknown>?, Expected?][] = [
    ['roleAdmin@all', 'POST', '', { name: 'R', permissions: ['tickets:read'] }, 201],
    ['roleAdmin@all', 'POST', '', { name: 'R', permissions: ['tickets:read', 'roles:update'] }, 201],
    ['roleAdmin@all', 'POST', '', { name: 'R', permissions: ['tickets:serve'] }, 'escalation'],
    ['roleAdmin@all', 'POST', '', { name: 'R', permissions: ['users:update'] }, 'escalation'],
    ['roleAdmin@all', 'PATCH', 'reader', { name: 'R2' }, 200],
    ['roleAdmin@all', 'PATCH', 'reader', { permissions: [] }, 200],
    ['roleAdmin@all', 'PATCH', 'reader', { permissions: ['tickets:read', 'reports:read'] }, 'escalation'],
    ['roleAdmin@all', 'PATCH', 'reporter', { name: 'R2' }, 'escalation'],
    ['roleAdmin@all', 'PATCH', 'reporter', { permissions: [] }, 'escalation'],
    ['roleAdmin@all', 'DELETE', 'reader', undefined, 204],
    ['roleAdmin@all', 'DELETE', 'reporter', undefined, 'escalation'],
    ['roleAdmin@all', 'PATCH', 'display', { name: 'D' }, 'escalation'],
    ['roleAdmin@all', 'DELETE', 'admin', undefined, 'escalation'],
    ['admin@A', 'PATCH', 'display', { name: 'D' }, 409],
    ['admin@A', 'PATCH', 'reporter', { permissions: ['users:update'] }, 200],
    ['admin@A', 'DELETE', 'reporter', undefined, 204],
    ['hr@A', 'PATCH', 'reader', { name: 'R2' }, 'forbidden'],
  ];

  it.each(ROLE_CASES)('%s: %s role %s %j → %s', async (caller, method, target, body, expected) => {
    const token = callerTokens.get(caller);
    const id = target && (CUSTOM[target] ? (await customRole(CUSTOM[target]!)).id : target);
    const res = await call(method, id ? `/v1/roles/${id}` : '/v1/roles', { token, body });
    const what = `${caller}: ${method} role ${target} ${JSON.stringify(body)}`;
    expectAnswer(res, expected!, what);
    if (typeof expected === 'string' && CUSTOM[target]) {
      expect((await dynamoRoleStore.get(tenant, id))?.permissions, what).toEqual(CUSTOM[target]);
    }
  });
});
