import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { grantsOf, roleChangeRefusal, userChangeRefusal } from '#core/domain/access';
import type { Actor } from '#core/domain/actor';
import { builtInRole, type Permission } from '#core/domain/permissions';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { PASSWORD, putBranch, storedUser } from '#tests/support/identity-fixtures';
import { mintToken } from '#tests/support/tokens';

/**
 * The API answers user and role writes exactly as the pure no-escalation rule says, over random
 * callers (permissions, branch scope), targets (role permissions, scope) and requests (role,
 * scope): through the real handlers on DynamoDB Local, and a refused write changes nothing.
 */

let env: TestEnv;
let tenantId: string;
let branches: string[];
beforeAll(async () => {
  env = await createTestEnv();
  tenantId = ulid();
  branches = await Promise.all([0, 1, 2].map(() => putBranch(tenantId)));
});

/** A small universe, so that "holds all of" is often true and often false. */
const UNIVERSE: Permission[] = [
  'users:read',
  'users:update',
  'tickets:read',
  'tickets:serve',
  'reports:read',
];
const ROUTE_PERMISSION = {
  create: 'users:create',
  update: 'users:update',
  delete: 'users:delete',
  updateRole: 'roles:update',
} as const;
type Op = keyof typeof ROUTE_PERMISSION;

/** Branch scopes as indexes into `branches`, or null for every branch. */
const scope = fc.option(fc.subarray([0, 1, 2]), { nil: null, freq: 3 });
const toScope = (s: number[] | null) => (s === null ? null : s.map((i) => branches[i]!));

/** Mostly a part of what the caller holds (allowed), sometimes anything (often refused). */
const near = <T, A>(held: T[], any: fc.Arbitrary<A>) =>
  fc.oneof({ weight: 2, arbitrary: fc.subarray(held) }, { weight: 1, arbitrary: any });
const nearScope = (held: number[] | null) => (held === null ? scope : near(held, scope));

const scenario = fc.record({ callerPermissions: fc.subarray(UNIVERSE), callerScope: scope }).chain((caller) =>
  fc
    .record({
      op: fc.constantFrom<Op>('create', 'update', 'delete', 'updateRole'),
      self: fc.boolean(),
      targetPermissions: near(caller.callerPermissions, fc.subarray(UNIVERSE)),
      targetScope: nearScope(caller.callerScope),
      /** A custom role with these permissions, a built-in role, or no role change. */
      role: fc.oneof(
        { weight: 3, arbitrary: near(caller.callerPermissions, fc.subarray(UNIVERSE)) },
        { weight: 1, arbitrary: fc.constantFrom('agent', 'display', 'kiosk', 'manager', 'admin') },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      requestedScope: fc.option(nearScope(caller.callerScope), { nil: undefined }),
    })
    .map((request) => ({ ...caller, ...request })),
);
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;

async function customRole(permissions: Permission[]) {
  const at = new Date().toISOString();
  const role = { id: ulid(), name: 'P', permissions, builtIn: false, createdAt: at, updatedAt: at };
  await dynamoRoleStore.create(tenantId, role);
  return role;
}

async function check(s: Scenario) {
  const targetRole = await customRole(s.targetPermissions);
  const target = await storedUser(tenantId, { roleId: targetRole.id, branchIds: toScope(s.targetScope) });
  const requested = typeof s.role === 'string' ? builtInRole(s.role)! : s.role && (await customRole(s.role));
  const requestedScope = s.requestedScope === undefined ? undefined : toScope(s.requestedScope);
  const actor: Actor = {
    tenantId,
    userId: s.self ? target.id : ulid(),
    roleId: 'caller',
    permissions: [...s.callerPermissions, ROUTE_PERMISSION[s.op]],
    branches: toScope(s.callerScope) ?? ['*'],
  };
  const token = await mintToken(env.signingKey, {
    tenantId,
    userId: actor.userId,
    role: actor.roleId,
    perms: [...actor.permissions],
    branches: [...actor.branches],
  });
  const caller = grantsOf(actor);
  const targetGrants = { permissions: targetRole.permissions, scope: target.branchIds };
  const what = JSON.stringify(s);

  if (s.op === 'updateRole') {
    const refusal = roleChangeRefusal(caller.permissions, {
      current: targetRole.permissions,
      permissions: requested?.permissions,
    });
    const res = await call('PATCH', `/v1/roles/${targetRole.id}`, {
      token,
      body: { name: 'Q', ...(requested && { permissions: requested.permissions }) },
    });
    expect(res.status, what).toBe(refusal ? 403 : 200);
    if (refusal) expect(await dynamoRoleStore.get(tenantId, targetRole.id), what).toEqual(targetRole);
    return;
  }

  // A create without a role of its own gives the new user the target's role.
  const assigned = requested ?? (s.op === 'create' ? targetRole : undefined);
  const roleId = assigned?.id ?? targetRole.id;
  const refusal = userChangeRefusal(caller, {
    target: s.op === 'create' ? undefined : targetGrants,
    permissions: s.op === 'delete' ? undefined : assigned?.permissions,
    scope: s.op === 'create' ? (requestedScope ?? null) : s.op === 'update' ? requestedScope : undefined,
  });
  const before = await dynamoUserStore.get(tenantId, target.id);
  const username = `p.${ulid()}`;
  const res =
    s.op === 'create'
      ? await call('POST', '/v1/users', {
          token,
          body: { username, password: PASSWORD, fullName: 'P', roleId, branchIds: requestedScope },
        })
      : s.op === 'update'
        ? await call('PATCH', `/v1/users/${target.id}`, {
            token,
            body: {
              fullName: 'Changed',
              ...(requested && { roleId }),
              ...(requestedScope !== undefined && { branchIds: requestedScope }),
            },
          })
        : await call('DELETE', `/v1/users/${target.id}`, { token });

  const allowed = { create: 201, update: 200, delete: s.self ? 409 : 204 }[s.op];
  expect(res.status, `${what} → ${res.text}`).toBe(refusal ? 403 : allowed);
  if (refusal) {
    expect(res.body.type, what).toMatch(/\/problems\/escalation$/);
    expect(await dynamoUserStore.get(tenantId, target.id), what).toEqual(before);
    expect(await dynamoUserStore.findByUsername(tenantId, username), what).toBeUndefined();
  } else if (s.op === 'update') {
    const branchIds = requestedScope === undefined ? target.branchIds : requestedScope;
    expect(res.body, what).toMatchObject({ roleId, branchIds });
  }
}

describe('the API agrees with the no-escalation rule', () => {
  it('for random callers, targets and requests', async () => {
    await fc.assert(fc.asyncProperty(scenario, check), {
      numRuns: Number(process.env.FC_RUNS ?? 40),
      endOnFailure: true,
    });
  });
});
