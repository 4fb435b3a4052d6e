import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { REVOCATION_PREFIX } from '#core/adapters/dynamo/items/revocation';
import { expireRevocations } from '#functions/commons/auth';
import { call } from '#tests/support/api';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { injectFault, throttle } from '#tests/support/fault-injection';
import { login, PASSWORD, postUser, putBranch, verifiedTenant } from '#tests/support/identity-fixtures';
import { mintToken } from '#tests/support/tokens';

/**
 * Access tokens end within 60 s of a change to their user or custom role: the change records a
 * revocation in its own transaction, and every function reads a tenant's revocations at most
 * once per cache lifetime (30 s). `expireRevocations()` stands for that lifetime passing.
 */

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
beforeAll(async () => {
  env = await createTestEnv();
  org = await verifiedTenant(env);
});

/** A new user of `org`, logged in: its access and refresh tokens. */
async function signedIn(fields: Record<string, unknown> = {}) {
  const created = await postUser(org.token, fields);
  expect(created.status, created.text).toBe(201);
  const session = await login(org.tenant.slug, created.body.username, PASSWORD);
  expect(session.status, session.text).toBe(200);
  return {
    id: created.body.id as string,
    access: session.body.accessToken as string,
    refresh: session.body.refreshToken as string,
  };
}
type SignedIn = Awaited<ReturnType<typeof signedIn>>;

const me = (token: string) => call('GET', '/v1/me', { token });
const branches = (token: string) => call('GET', '/v1/branches', { token });
const patchUser = (id: string, body: unknown) => call('PATCH', `/v1/users/${id}`, { token: org.token, body });
const patchRole = (id: string, body: unknown) => call('PATCH', `/v1/roles/${id}`, { token: org.token, body });
const refresh = (refreshToken: string) => call('POST', '/v1/auth/refresh', { body: { refreshToken } });

describe('a change to a user ends its access tokens', () => {
  const changes: Array<[string, (u: SignedIn) => ReturnType<typeof call>]> = [
    ['deactivation', (u) => patchUser(u.id, { active: false })],
    ['deletion', (u) => call('DELETE', `/v1/users/${u.id}`, { token: org.token })],
    ['role change', (u) => patchUser(u.id, { roleId: 'kiosk' })],
    ['branch scope change', async (u) => patchUser(u.id, { branchIds: [await putBranch(org.tenant.id)] })],
    ['password change', (u) => patchUser(u.id, { password: 'a brand new password' })],
  ];

  it.each(changes)(
    '%s: the old token answers 401 once the cache has expired; other users keep theirs',
    async (_, change) => {
      const [target, bystander] = await Promise.all([signedIn(), signedIn()]);
      expect((await me(target.access)).status).toBe(200);
      expect((await change(target)).status).toBeLessThan(300);
      expireRevocations();
      const res = await me(target.access);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect((await me(bystander.access)).status).toBe(200);
    },
  );

  it('a role or scope change keeps the login: a refresh gives a token with the new grants, which works', async () => {
    const user = await signedIn();
    const branchId = await putBranch(org.tenant.id);
    expect((await patchUser(user.id, { roleId: 'manager', branchIds: [branchId] })).status).toBe(200);
    expireRevocations();
    expect((await me(user.access)).status).toBe(401);
    const next = await refresh(user.refresh);
    expect(next.status).toBe(200);
    const claims = decodeJwt(next.body.accessToken);
    expect(claims).toMatchObject({ role: 'manager', branches: [branchId] });
    expect(claims.perms).toContain('reports:read');
    expireRevocations();
    expect((await me(next.body.accessToken)).status).toBe(200);
  });

  it('also ends tokens that carry no version (issued before versions existed)', async () => {
    const user = await signedIn();
    const legacy = await mintToken(env.signingKey, {
      tenantId: org.tenant.id,
      userId: user.id,
      role: 'agent',
    });
    expect(decodeJwt(legacy).uv).toBeUndefined();
    expect((await me(legacy)).status).toBe(200);
    expect((await patchUser(user.id, { roleId: 'kiosk' })).status).toBe(200);
    expireRevocations();
    expect((await me(legacy)).status).toBe(401);
  });

  it('refuses a token whose versions are not whole numbers', async () => {
    for (const payload of [{ uv: '1' }, { rv: -1 }, { uv: 1.5 }]) {
      const token = await mintToken(
        env.signingKey,
        { tenantId: org.tenant.id, userId: org.admin.id },
        { payload },
      );
      expect((await me(token)).status, JSON.stringify(payload)).toBe(401);
    }
  });
});

describe("a change to a custom role's permissions ends its users' access tokens", () => {
  it('renaming keeps them; removing a permission ends them, and a refresh carries the new set', async () => {
    const createRole = (name: string, permissions: string[]) =>
      call('POST', '/v1/roles', { token: org.token, body: { name, permissions } });
    const desk = await createRole('Desk', ['tickets:read', 'branches:read']);
    const reader = await createRole('Reader', ['branches:read']);
    expect(desk.status).toBe(201);
    const [user, otherRole] = await Promise.all([
      signedIn({ roleId: desk.body.id }),
      signedIn({ roleId: reader.body.id }),
    ]);
    expect((await branches(user.access)).status).toBe(200);

    expect((await patchRole(desk.body.id, { name: 'Front desk' })).status).toBe(200);
    expireRevocations();
    expect((await branches(user.access)).status).toBe(200);

    expect((await patchRole(desk.body.id, { permissions: ['tickets:read'] })).status).toBe(200);
    expireRevocations();
    expect((await branches(user.access)).status).toBe(401);
    expect((await branches(otherRole.access)).status).toBe(200);

    const next = await refresh(user.refresh);
    expect(next.status).toBe(200);
    expect(decodeJwt(next.body.accessToken).perms).toEqual(['tickets:read']);
    expect((await branches(next.body.accessToken)).status).toBe(403);
  });
});

describe('cost and failure of the revocation check', () => {
  it("reads a tenant's revocations once per cache lifetime, however many requests (in parallel too)", async () => {
    const user = await signedIn();
    expireRevocations();
    const metrics = measureDynamo();
    try {
      // GET /v1/permissions does no DynamoDB work of its own.
      const parallel = await Promise.all(
        Array.from({ length: 10 }, () => call('GET', '/v1/permissions', { token: user.access })),
      );
      for (let i = 0; i < 10; i++)
        parallel.push(await call('GET', '/v1/permissions', { token: user.access }));
      expect(parallel.map((r) => r.status)).toEqual(Array(20).fill(200));
    } finally {
      metrics.stop();
    }
    expect(metrics.revocationReads().map((e) => e.command)).toEqual(['Query']);
    expect(metrics.requests()).toBe(0);
  });

  it('answers 503, never serves, while the revocations cannot be read; a failed read is not kept', async () => {
    const user = await signedIn();
    expireRevocations();
    const fault = injectFault({
      command: 'Query',
      times: Number.POSITIVE_INFINITY,
      error: () => throttle(),
      when: (input) => String(input.ExpressionAttributeValues?.[':from']?.S).startsWith(REVOCATION_PREFIX),
    });
    try {
      const res = await call('GET', '/v1/permissions', { token: user.access });
      expect(res.status).toBe(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      fault.remove();
    }
    expect((await call('GET', '/v1/permissions', { token: user.access })).status).toBe(200);
  });
});
