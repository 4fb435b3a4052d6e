import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { loginThrottleKey, slotsFromItem } from '#core/adapters/dynamo/items/login-throttle';
import { USERNAME_PREFIX } from '#core/adapters/dynamo/items/user';
import { dynamoLoginThrottleStore } from '#core/adapters/dynamo/login-throttle-store';
import { sleep } from '#core/adapters/dynamo/operations';
import { LOGIN_CLAIM_MS, throttleSubject } from '#core/domain/login-throttle';
import type { ThrottleClaim } from '#core/ports/sessions';
import { login as loginUseCase } from '#core/usecases/identity/login';
import { loginContext } from '#functions/commons/context';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { injectFault, throttle } from '#tests/support/fault-injection';
import {
  login,
  PASSWORD,
  postUser,
  putBranch,
  storedUser,
  verifiedTenant,
} from '#tests/support/identity-fixtures';
import { USER_FIELDS } from '#tests/support/rules';

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
beforeAll(async () => {
  env = await createTestEnv();
  org = await verifiedTenant(env);
});

/** A fresh user of `org`, so throttles and sessions of one test never meet another's. */
async function newUser(fields: Record<string, unknown> = {}) {
  const res = await postUser(org.token, fields);
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id as string, username: res.body.username as string };
}

const refresh = (refreshToken: string) => call('POST', '/v1/auth/refresh', { body: { refreshToken } });
const patchUser = (id: string, body: unknown) => call('PATCH', `/v1/users/${id}`, { token: org.token, body });

describe('POST /v1/auth/login', () => {
  it('answers tokens and the user; the access token works and carries the claims of the rules', async () => {
    const res = await login(org.tenant.slug, 'Admin.User', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 900,
      user: expect.objectContaining({ id: org.admin.id, username: 'Admin.User', roleId: 'admin' }),
    });
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toMatch(/scrypt|passwordHash/);
    const claims = decodeJwt(res.body.accessToken);
    expect(claims).toMatchObject({ sub: org.admin.id, tid: org.tenant.id, role: 'admin', branches: ['*'] });
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(typeof claims.aud).toBe('string');
    expect(claims.perms).toContain('users:create');
    const me = await call('GET', '/v1/me', { token: res.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(res.body.user);
  });

  it('matches username and tenant slug case-insensitively', async () => {
    const res = await login(org.tenant.slug.toUpperCase(), 'ADMIN.user', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(org.admin.id);
  });

  it('puts the branch scope of a scoped user into its token', async () => {
    const branchId = await putBranch(org.tenant.id);
    const user = await newUser({ branchIds: [branchId] });
    const res = await login(org.tenant.slug, user.username, PASSWORD);
    expect(decodeJwt(res.body.accessToken)).toMatchObject({ role: 'agent', branches: [branchId] });
  });

  it('answers the same 401 to an unknown tenant, an unknown user, a wrong password, an inactive and a deleted user', async () => {
    const inactive = await newUser();
    expect((await patchUser(inactive.id, { active: false })).status).toBe(200);
    const deleted = await newUser();
    expect((await call('DELETE', `/v1/users/${deleted.id}`, { token: org.token })).status).toBe(204);

    const failures = await Promise.all([
      login('no-such-tenant', 'Admin.User', PASSWORD),
      login(org.tenant.slug, 'nobody', PASSWORD),
      login(org.tenant.slug, 'Admin.User', 'wrong password!'),
      login(org.tenant.slug, inactive.username, PASSWORD),
      login(org.tenant.slug, deleted.username, PASSWORD),
    ]);
    for (const res of failures) {
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['content-type']).toBe('application/problem+json');
      expect(res.text).toBe(failures[0]!.text);
    }
  });

  it('answers 400 to a malformed body', async () => {
    expect((await call('POST', '/v1/auth/login', { body: { tenant: 'x', username: 'y' } })).status).toBe(400);
    const extra = { tenant: 'x', username: 'y', password: 'z', remember: true };
    expect((await call('POST', '/v1/auth/login', { body: extra })).status).toBe(400);
    const malformed = { rawBody: '{"tenant":', headers: { 'content-type': 'application/json' } };
    expect((await call('POST', '/v1/auth/login', malformed)).status).toBe(400);
  });
});

describe('login throttle', () => {
  it('locks a username after 5 failures in 15 minutes, even for the right password, until the window passes', async () => {
    const user = await newUser();
    for (let i = 0; i < 5; i++) {
      expect((await login(org.tenant.slug, user.username, `wrong password ${i}`)).status).toBe(401);
    }
    const locked = await login(org.tenant.slug, user.username, 'wrong password 6');
    // Retry-After counts from this answer; the logins below may take long on a busy machine.
    const lockedAt = Date.now();
    expect(locked.status).toBe(429);
    expect(locked.body.type).toMatch(/\/rate-limited$/);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);

    const right = await login(org.tenant.slug, user.username.toUpperCase(), PASSWORD);
    expect(right.status).toBe(429);
    // Other usernames of the tenant are not affected.
    expect((await login(org.tenant.slug, 'Admin.User', PASSWORD)).status).toBe(200);

    const input = { tenant: org.tenant.slug, username: user.username, password: PASSWORD };
    const almost = new Date(lockedAt + (retryAfter - 5) * 1000);
    await expect(loginUseCase(loginContext({ now: almost }), input)).rejects.toMatchObject({ status: 429 });
    const after = new Date(lockedAt + (retryAfter + 1) * 1000);
    await expect(loginUseCase(loginContext({ now: after }), input)).resolves.toMatchObject({
      user: { id: user.id },
    });
  });

  it('counts only failures: a correct password neither counts nor clears earlier failures', async () => {
    const user = await newUser();
    for (let i = 0; i < 4; i++) await login(org.tenant.slug, user.username, `wrong password ${i}`);
    expect((await login(org.tenant.slug, user.username, PASSWORD)).status).toBe(200);
    expect((await login(org.tenant.slug, user.username, 'wrong password 5')).status).toBe(401);
    expect((await login(org.tenant.slug, user.username, PASSWORD)).status).toBe(429);
  });

  // With attempts in flight a login waits for them, up to 10 s; on a machine too loaded to
  // finish their password checks by then it answers 503 with Retry-After (never 401 or 429).
  const statusesOf = (results: { status: number }[]) => results.map((r) => r.status);

  it('never lets parallel guesses past the limit, and then refuses the right password too', async () => {
    const user = await newUser();
    const statuses = statusesOf(
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => login(org.tenant.slug, user.username, `parallel guess ${i}`)),
      ),
    );
    const unauthorized = statuses.filter((s) => s === 401).length;
    expect(unauthorized).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => ![401, 429, 503].includes(s))).toEqual([]);
    // Whatever a slow machine left unchecked, the budget ends after exactly 5 wrong passwords.
    for (let i = unauthorized; i < 5; i++) {
      expect((await login(org.tenant.slug, user.username, `one more guess ${i}`)).status).toBe(401);
    }
    expect((await login(org.tenant.slug, user.username, PASSWORD)).status).toBe(429);
  });

  it('lets every one of 8 kiosks sharing an account in when they sign in at once', async () => {
    const kiosk = await newUser({ roleId: 'kiosk' });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => login(org.tenant.slug, kiosk.username, PASSWORD)),
    );
    for (const res of results.filter((r) => r.status === 503)) {
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      res.status = (await login(org.tenant.slug, kiosk.username, PASSWORD)).status;
    }
    expect(statusesOf(results)).toEqual(Array(8).fill(200));
    // None of them counted or still holds a slot.
    const { Item } = await dynamo().send(
      new GetCommand({
        TableName: tableName(),
        Key: loginThrottleKey(throttleSubject(org.tenant.slug, kiosk.username)),
      }),
    );
    expect(slotsFromItem(Item)).toEqual(Array(5).fill(undefined));
  });

  it('makes a login wait for attempts in flight: it gets in when one ends well, 429 when they all fail', async () => {
    const throttled = async (finish: (held: ThrottleClaim[], now: Date) => Promise<unknown>) => {
      const user = await newUser();
      const subject = throttleSubject(org.tenant.slug, user.username);
      const now = new Date();
      const held = await Promise.all(
        Array.from({ length: 5 }, () => dynamoLoginThrottleStore.claim(subject, now)),
      );
      const pending = login(org.tenant.slug, user.username, PASSWORD);
      await sleep(300);
      await finish(held, now);
      return pending;
    };
    const claimed = (c: ThrottleClaim) => c as ThrottleClaim & { claimed: true };
    const oneEndsWell = await throttled(async (held, now) => {
      for (const c of held.slice(0, 4)) await dynamoLoginThrottleStore.fail(claimed(c), now);
      await dynamoLoginThrottleStore.release(claimed(held[4]!));
    });
    expect(oneEndsWell.status).toBe(200);
    const allFail = await throttled((held, now) =>
      Promise.all(held.map((c) => dynamoLoginThrottleStore.fail(claimed(c), now))),
    );
    expect(allFail.status).toBe(429);
  });

  it('does not count an attempt that ends in a server error, before or after the password check', async () => {
    const user = await newUser();
    const faults = [
      // Looking the user up fails: the password is never checked.
      { command: 'GetItem', when: (input: any) => String(input.Key?.sk?.S).startsWith(USERNAME_PREFIX) },
      // Storing the session fails after the password was checked (and was right).
      {
        command: 'TransactWriteItems',
        when: (input: any) => JSON.stringify(input).includes('refresh-family'),
      },
    ] as const;
    for (const { command, when } of faults) {
      const fault = injectFault({ command, when, times: Number.POSITIVE_INFINITY, error: () => throttle() });
      try {
        const res = await login(org.tenant.slug, user.username, PASSWORD);
        expect(res.status, command).toBe(503);
      } finally {
        fault.remove();
      }
    }
    for (let i = 0; i < 5; i++) {
      expect((await login(org.tenant.slug, user.username, `wrong password ${i}`)).status).toBe(401);
    }
    expect((await login(org.tenant.slug, user.username, PASSWORD)).status).toBe(429);
  });

  it('frees the slots of attempts that crashed mid-check once they must have stopped', async () => {
    const user = await newUser();
    const subject = throttleSubject(org.tenant.slug, user.username);
    const now = new Date();
    // Five attempts claim a slot and never finish (their functions died).
    for (let i = 0; i < 5; i++) {
      expect(await dynamoLoginThrottleStore.claim(subject, now)).toMatchObject({ claimed: true });
    }
    const input = { tenant: org.tenant.slug, username: user.username, password: PASSWORD };
    const later = new Date(now.getTime() + LOGIN_CLAIM_MS);
    await expect(loginUseCase(loginContext({ now: later }), input)).resolves.toMatchObject({
      user: { id: user.id },
    });
  });

  it('throttles unknown tenants and users alike, so lockouts do not reveal them', async () => {
    for (let i = 0; i < 5; i++) expect((await login('ghost-tenant', 'ghost', `guess ${i}`)).status).toBe(401);
    expect((await login('ghost-tenant', 'ghost', 'guess 6')).status).toBe(429);
  });
});

describe('POST /v1/auth/refresh', () => {
  it('rotates: a new pair, the old refresh token is spent, and reusing it ends the whole login', async () => {
    const user = await newUser();
    const first = await login(org.tenant.slug, user.username, PASSWORD);
    const second = await refresh(first.body.refreshToken);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { id: user.id } });
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    expect(decodeJwt(second.body.accessToken).jti).not.toBe(decodeJwt(first.body.accessToken).jti);

    const reuse = await refresh(first.body.refreshToken);
    expect(reuse.status).toBe(401);
    expect(reuse.headers['www-authenticate']).toBe('Bearer');
    // The legitimate holder's current token died with the family.
    expect((await refresh(second.body.refreshToken)).status).toBe(401);
    // Other logins of the same user are untouched.
    const other = await login(org.tenant.slug, user.username, PASSWORD);
    expect((await refresh(other.body.refreshToken)).status).toBe(200);
  });

  it('lets exactly one of two simultaneous uses of one token through, and then ends the login', async () => {
    const user = await newUser();
    const { body } = await login(org.tenant.slug, user.username, PASSWORD);
    const results = await Promise.all([refresh(body.refreshToken), refresh(body.refreshToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = results.find((r) => r.status === 200)!;
    expect((await refresh(winner.body.refreshToken)).status).toBe(401);
  });

  it("picks up the user's current role and branches", async () => {
    const user = await newUser();
    const { body } = await login(org.tenant.slug, user.username, PASSWORD);
    expect(decodeJwt(body.accessToken)).toMatchObject({ role: 'agent' });
    const branchId = await putBranch(org.tenant.id);
    expect((await patchUser(user.id, { roleId: 'manager', branchIds: [branchId] })).status).toBe(200);
    const next = await refresh(body.refreshToken);
    expect(next.status).toBe(200);
    const claims = decodeJwt(next.body.accessToken);
    expect(claims).toMatchObject({ role: 'manager', branches: [branchId] });
    expect(claims.perms).toContain('reports:read');
  });

  it('stops working at once when the user is deactivated, and stays dead after reactivation', async () => {
    const user = await newUser();
    const { body } = await login(org.tenant.slug, user.username, PASSWORD);
    expect((await patchUser(user.id, { active: false })).status).toBe(200);
    expect((await refresh(body.refreshToken)).status).toBe(401);
    expect((await patchUser(user.id, { active: true })).status).toBe(200);
    expect((await refresh(body.refreshToken)).status).toBe(401);
    expect((await login(org.tenant.slug, user.username, PASSWORD)).status).toBe(200);
  });

  it('stops working when the user is deleted or its password is changed', async () => {
    const deleted = await newUser();
    const a = await login(org.tenant.slug, deleted.username, PASSWORD);
    expect((await call('DELETE', `/v1/users/${deleted.id}`, { token: org.token })).status).toBe(204);
    expect((await refresh(a.body.refreshToken)).status).toBe(401);

    const changed = await newUser();
    const b = await login(org.tenant.slug, changed.username, PASSWORD);
    expect((await patchUser(changed.id, { password: 'a brand new password' })).status).toBe(200);
    expect((await refresh(b.body.refreshToken)).status).toBe(401);
    expect((await login(org.tenant.slug, changed.username, PASSWORD)).status).toBe(401);
    expect((await login(org.tenant.slug, changed.username, 'a brand new password')).status).toBe(200);
  });

  it('answers 401 to an unknown token and 400 to a malformed body', async () => {
    const res = await refresh('A'.repeat(43));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect((await call('POST', '/v1/auth/refresh', { body: {} })).status).toBe(400);
    expect((await call('POST', '/v1/auth/refresh', { body: { refreshToken: 1 } })).status).toBe(400);
  });
});

describe('POST /v1/auth/logout', () => {
  it('ends the login: its refresh tokens stop working', async () => {
    const user = await newUser();
    const { body } = await login(org.tenant.slug, user.username, PASSWORD);
    const rotated = await refresh(body.refreshToken);
    const res = await call('POST', '/v1/auth/logout', { body: { refreshToken: rotated.body.refreshToken } });
    expect(res.status).toBe(204);
    expect(res.text).toBeUndefined();
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
  });

  it('answers 204 to an unknown token (it reveals nothing) and 400 to a malformed body', async () => {
    expect((await call('POST', '/v1/auth/logout', { body: { refreshToken: 'B'.repeat(43) } })).status).toBe(
      204,
    );
    expect((await call('POST', '/v1/auth/logout', { body: { token: 'x' } })).status).toBe(400);
  });
});

describe('login, refresh, logout and me: shapes and rules', () => {
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
    expect(Object.keys(res.body.user).sort()).toEqual(USER_FIELDS);
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
    const u = await storedUser(org.tenant.id);
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
