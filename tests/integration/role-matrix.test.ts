import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { type BuiltInRoleId, builtInRole } from '../../core/domain/permissions';
import { routes } from '../../infra/routes';
import type { RouteDef } from '../../infra/routes/define';
import { type ApiResponse, call } from '../support/api';
import { createTestEnv, type TestEnv } from '../support/env';
import { mintToken } from '../support/tokens';

/**
 * Every bearer route × no token and × every built-in role (SPEC §4, §8), driven by the route
 * table. A role without the route's permission gets 403; a role with it gets past both checks,
 * which any answer but 401/403 proves (random ids and no body usually end in 400 or 404).
 */

const ROLES: BuiltInRoleId[] = ['admin', 'manager', 'agent', 'kiosk', 'display'];

/** SPEC §3: every /v1 route needs a token except these (SPEC §4 adds the password reset). */
const PUBLIC_V1 = [
  'POST /v1/signup',
  'POST /v1/auth/verify-email',
  'POST /v1/auth/login',
  'POST /v1/auth/refresh',
  'POST /v1/auth/logout',
  'POST /v1/auth/forgot-password',
  'POST /v1/auth/reset-password',
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
  it('requires a bearer token on every /v1 route but the public ones (SPEC §3)', () => {
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
