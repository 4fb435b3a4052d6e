import { readdirSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoPasswordResetStore } from '#core/adapters/dynamo/password-reset-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { hashOpaqueToken, newOpaqueToken } from '#core/domain/opaque-token';
import { FORGOT_PASSWORD_FLOOR_MS } from '#core/domain/password-reset';
import { forgotPassword } from '#core/usecases/identity/forgot-password';
import { provisionTenant } from '#core/usecases/identity/provision-tenant';
import { forgotPasswordContext, tenantContext } from '#functions/commons/context';
import { logger } from '#functions/commons/logger';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import {
  failMails,
  freshIp,
  login,
  mailsTo,
  PASSWORD,
  postUser,
  uniqueSlug,
  uniqueUsername,
  verifiedTenant,
} from '#tests/support/identity-fixtures';

/**
 * Password reset by mail: forgot-password answers the same 202, in the same time class, whether
 * the account exists or not; reset-password takes the mailed token once, within 30 minutes, and
 * ends the user's sessions. Both are limited per client address and per account.
 */

let env: TestEnv;
let org: Awaited<ReturnType<typeof verifiedTenant>>;
beforeAll(async () => {
  env = await createTestEnv();
  org = await verifiedTenant(env);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

const NEW_PASSWORD = 'a brand new passphrase';

/** A fresh agent of `org` with its own e-mail address (`<username>@example.com` unless given). */
async function newUser(fields: Record<string, unknown> = {}) {
  const username = uniqueUsername('reset');
  const email = `${username}@example.com`;
  const res = await postUser(org.token, { username, fullName: 'Reset Tester', email, ...fields });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.id as string, username, email };
}

async function forgot(tenant: string, username: string, sourceIp = freshIp()) {
  const started = performance.now();
  const res = await call('POST', '/v1/auth/forgot-password', { body: { tenant, username }, sourceIp });
  return { ...res, elapsedMs: performance.now() - started };
}

const reset = (token: string, password = NEW_PASSWORD, sourceIp = freshIp()) =>
  call('POST', '/v1/auth/reset-password', { body: { token, password }, sourceIp });

const LINK = /^http:\/\/localhost:3000\/#\/reset-password\?token=([A-Za-z0-9_-]{43})$/m;
const tokenOf = (mail: { text: string }) => LINK.exec(mail.text)![1]!;
const outboxSize = () => readdirSync(env.outboxDir).length;

/** A reset token stored as forgot-password stores it, without its mail or its per-account budget. */
async function storedToken(userId: string, expiresAt = new Date(Date.now() + 30 * 60_000)) {
  const user = (await dynamoUserStore.get(org.tenant.id, userId))!;
  const token = newOpaqueToken();
  await dynamoPasswordResetStore.issue(hashOpaqueToken(token), {
    tenantId: org.tenant.id,
    userId,
    sessionEpoch: user.sessionEpoch,
    expiresAt,
  });
  return token;
}

describe('POST /v1/auth/forgot-password', () => {
  it('answers 202 with one body to known and unknown accounts alike, never sooner than the floor; only the known, active user with an address gets a mail', async () => {
    const known = await newUser();
    const inactive = await newUser();
    expect(
      (await call('PATCH', `/v1/users/${inactive.id}`, { token: org.token, body: { active: false } })).status,
    ).toBe(200);
    const noAddress = await newUser({ email: undefined });
    const unverified = uniqueSlug();
    await provisionTenant(tenantContext({ now: new Date() }), {
      organization: { name: 'Unverified', slug: unverified },
      admin: {
        username: 'owner',
        email: `${unverified}@example.com`,
        password: PASSWORD,
        fullName: 'Owner',
      },
      verified: false,
    });
    const before = outboxSize();

    const [mailed, ...silent] = await Promise.all([
      forgot(org.tenant.slug.toUpperCase(), known.username.toUpperCase()),
      forgot('no-such-organisation', known.username),
      forgot(org.tenant.slug, 'nobody.here'),
      forgot(org.tenant.slug, inactive.username),
      forgot(org.tenant.slug, noAddress.username),
      forgot(unverified, 'owner'),
      forgot('x', 'not a valid username at all!'),
    ]);
    for (const res of [mailed!, ...silent]) {
      expect(res.status, res.text).toBe(202);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.text).toBe(mailed!.text);
      // Padded to the same floor whatever was found (timers never fire early; 2 ms of rounding).
      expect(res.elapsedMs).toBeGreaterThanOrEqual(FORGOT_PASSWORD_FLOOR_MS - 2);
    }
    expect(mailed!.body).toEqual({ accepted: true });

    expect(outboxSize()).toBe(before + 1);
    const [mail] = mailsTo(env, known.email);
    expect(mail!.subject).toBe('Reset your Queueline password');
    expect(mail!.text).toMatch(LINK);
    expect(mail!.text).toContain(known.username);
    expect(mail!.text).not.toContain(PASSWORD);
    expect(mailsTo(env, inactive.email)).toHaveLength(0);
    expect(mailsTo(env, `${unverified}@example.com`)).toHaveLength(0);
  });

  it('does not fail when the mail cannot be sent: the outcome is for the log, the answer stays 202', async () => {
    const user = await newUser();
    const failing = { send: () => Promise.reject(new Error('SES is down')) };
    const outcome = await forgotPassword(
      { ...forgotPasswordContext({ now: new Date() }), mailer: failing },
      { tenant: org.tenant.slug, username: user.username },
    );
    expect(outcome).toBe('mail-failed');
  });

  it('answers the same 202 when the mail cannot be sent, and logs why without the address', async () => {
    const user = await newUser();
    const unknown = await forgot(org.tenant.slug, 'nobody.at.all');
    failMails(env);
    const warn = vi.spyOn(logger, 'warn');
    const res = await forgot(org.tenant.slug, user.username);
    expect(res.status, res.text).toBe(202);
    expect(res.text).toBe(unknown.text);
    const logged = warn.mock.calls.filter(([message]) => String(message).startsWith('mail not sent'));
    expect(logged).toHaveLength(1);
    expect(logged[0]![1]).toMatchObject({ reason: 'failed', subject: 'Reset your Queueline password' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain(user.email);
  });

  it('answers 400 to a malformed request, and mails nothing', async () => {
    const before = outboxSize();
    for (const body of [{}, { tenant: org.tenant.slug }, { tenant: 'a', username: 'b', email: 'x@y.z' }]) {
      const res = await call('POST', '/v1/auth/forgot-password', { body, sourceIp: freshIp() });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(outboxSize()).toBe(before);
  });

  it('allows 5 requests a minute from one address: the 6th is 429 with Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-06-07T08:09:30.000Z'));
    const ip = freshIp();
    const first = await Promise.all(
      Array.from({ length: 5 }, (_, i) => forgot('no-such-organisation', `user${i}`, ip)),
    );
    expect(first.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const over = await forgot('no-such-organisation', 'user5', ip);
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toBe('application/problem+json');
    expect(over.headers['retry-after']).toBe('30');
    expect((await forgot('no-such-organisation', 'user5')).status).toBe(202);
  });

  it('allows 3 requests an hour per account, from any address and in any letter case: the 4th is 429, for unknown accounts too', async () => {
    const user = await newUser();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-06-07T10:45:00.000Z'));
    const spellings = [user.username, user.username.toUpperCase(), user.username];
    const asked = await Promise.all(spellings.map((name) => forgot(org.tenant.slug, name)));
    expect(asked.map((r) => r.status)).toEqual([202, 202, 202]);
    const over = await forgot(org.tenant.slug.toUpperCase(), user.username);
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe(String(15 * 60));
    expect(mailsTo(env, user.email)).toHaveLength(3);

    // The same answer for an account that does not exist: a 429 tells nothing either.
    const nobody = await Promise.all([1, 2, 3].map(() => forgot(org.tenant.slug, 'nobody.at.all')));
    expect(nobody.map((r) => r.status)).toEqual([202, 202, 202]);
    const nobodyOver = await forgot(org.tenant.slug, 'nobody.at.all');
    expect(nobodyOver.status).toBe(429);
    expect(nobodyOver.text).toBe(over.text);

    vi.setSystemTime(new Date('2031-06-07T11:00:00.000Z'));
    expect((await forgot(org.tenant.slug, user.username)).status).toBe(202);
    expect(mailsTo(env, user.email)).toHaveLength(4);
  });
});

describe('POST /v1/auth/reset-password', () => {
  it('sets the new password once: 204, the old password fails, the new works, the token is spent, old refresh tokens are dead', async () => {
    const user = await newUser();
    const before = await login(org.tenant.slug, user.username, PASSWORD);
    expect(before.status).toBe(200);
    expect((await forgot(org.tenant.slug, user.username)).status).toBe(202);
    const token = tokenOf(mailsTo(env, user.email)[0]!);

    const res = await reset(token);
    expect(res.status, res.text).toBe(204);
    expect(res.text ?? '').toBe('');

    expect((await login(org.tenant.slug, user.username, PASSWORD)).status).toBe(401);
    const after = await login(org.tenant.slug, user.username, NEW_PASSWORD);
    expect(after.status).toBe(200);

    const again = await reset(token, 'yet another passphrase');
    expect(again.status).toBe(400);
    expect(again.body.type).toMatch(/\/invalid-token$/);
    expect((await login(org.tenant.slug, user.username, NEW_PASSWORD)).status).toBe(200);

    const refreshed = await call('POST', '/v1/auth/refresh', {
      body: { refreshToken: before.body.refreshToken },
    });
    expect(refreshed.status).toBe(401);
    // The login made with the new password lives on.
    const current = await call('POST', '/v1/auth/refresh', {
      body: { refreshToken: after.body.refreshToken },
    });
    expect(current.status).toBe(200);
  });

  it('applies the password rules of signup (10-128 characters) and keeps the token for a valid try', async () => {
    const user = await newUser();
    const token = await storedToken(user.id);
    for (const password of ['short pw!', 'p'.repeat(129)]) {
      const res = await reset(token, password);
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.password' })]);
    }
    expect((await reset(token, 'p'.repeat(128))).status).toBe(204);
    expect((await login(org.tenant.slug, user.username, 'p'.repeat(128))).status).toBe(200);
  });

  it('answers 400 to unknown tokens and malformed requests', async () => {
    const unknown = await reset(newOpaqueToken());
    expect(unknown.status).toBe(400);
    expect(unknown.body.type).toMatch(/\/invalid-token$/);
    for (const body of [
      {},
      { token: 'x' },
      { password: NEW_PASSWORD },
      { token: 'x', password: NEW_PASSWORD, extra: 1 },
    ]) {
      const res = await call('POST', '/v1/auth/reset-password', { body, sourceIp: freshIp() });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });

  it('takes a mailed token for 30 minutes, not a second longer (clock)', async () => {
    const user = await newUser();
    const mailedAt = new Date('2031-06-08T12:00:00.000Z');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(mailedAt);
    await Promise.all([forgot(org.tenant.slug, user.username), forgot(org.tenant.slug, user.username)]);
    const [late, inTime] = mailsTo(env, user.email).map(tokenOf);

    vi.setSystemTime(mailedAt.getTime() + 30 * 60_000);
    const expired = await reset(late!);
    expect(expired.status).toBe(400);
    expect(expired.body.type).toMatch(/\/invalid-token$/);
    vi.setSystemTime(mailedAt.getTime() + 30 * 60_000 - 1000);
    expect((await reset(inTime!)).status).toBe(204);
    expect((await login(org.tenant.slug, user.username, NEW_PASSWORD)).status).toBe(200);
  });

  it('voids the other links of the user once one is used, and links of a user deactivated since', async () => {
    const user = await newUser();
    const [first, second] = [await storedToken(user.id), await storedToken(user.id)];
    expect((await reset(first)).status).toBe(204);
    expect((await reset(second, 'some other passphrase')).status).toBe(400);
    expect((await login(org.tenant.slug, user.username, NEW_PASSWORD)).status).toBe(200);

    const gone = await newUser();
    const token = await storedToken(gone.id);
    expect(
      (await call('PATCH', `/v1/users/${gone.id}`, { token: org.token, body: { active: false } })).status,
    ).toBe(200);
    expect((await reset(token)).status).toBe(400);
  });

  it('lets one of two simultaneous uses of a token through, never both', async () => {
    const user = await newUser();
    const token = await storedToken(user.id);
    const results = await Promise.all([reset(token, 'first passphrase!'), reset(token, 'second passphrase')]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
    const winner = results[0]!.status === 204 ? 'first passphrase!' : 'second passphrase';
    expect((await login(org.tenant.slug, user.username, winner)).status).toBe(200);
  });

  it('allows 10 requests a minute from one address: the 11th is 429 with Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-06-07T08:09:45.000Z'));
    const ip = freshIp();
    const first = await Promise.all(
      Array.from({ length: 10 }, () => reset(newOpaqueToken(), NEW_PASSWORD, ip)),
    );
    expect(first.map((r) => r.status)).toEqual(Array(10).fill(400));
    const over = await reset(newOpaqueToken(), NEW_PASSWORD, ip);
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe('15');
  });

  it('allows 5 uses of valid links per account in 15 minutes, from any address: the 6th is 429 and changes nothing', async () => {
    const user = await newUser();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-06-09T09:05:00.000Z'));
    const tokens = [];
    for (let i = 0; i < 6; i++) tokens.push(await storedToken(user.id));
    // The first one sets the password and voids the others, which still count as uses.
    const statuses = [];
    for (const token of tokens.slice(0, 5)) statuses.push((await reset(token)).status);
    expect(statuses).toEqual([204, 400, 400, 400, 400]);
    const over = await reset(tokens[5]!, 'never this passphrase');
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe(String(10 * 60));
    expect((await login(org.tenant.slug, user.username, NEW_PASSWORD)).status).toBe(200);
  });
});
