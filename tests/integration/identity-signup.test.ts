import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { slugClaimKey, tenantKey, verificationKey } from '#core/adapters/dynamo/items/tenant';
import { userKey, usernameClaimKey } from '#core/adapters/dynamo/items/user';
import type { NewTenant, TenantStore } from '#core/ports/tenants';
import { provisionTenant } from '#core/usecases/identity/provision-tenant';
import { signup } from '#core/usecases/identity/signup';
import { verifyEmail } from '#core/usecases/identity/verify-email';
import { signupContext, tenantContext } from '#functions/commons/context';
import { logger } from '#functions/commons/logger';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { failMails, freshIp, login, mailsTo, PASSWORD, uniqueSlug } from '#tests/support/identity-fixtures';
import { ULID, USER_FIELDS } from '#tests/support/rules';
import { storedItem } from '#tests/support/setup-fixtures';

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const signupBody = (slug: string, email = `${slug}@example.com`) => ({
  organization: { name: 'City Clinic', slug },
  admin: { username: 'Founder', email, password: PASSWORD, fullName: 'Fran Founder' },
});

const tokenFrom = (text: string) => /[?&]token=([A-Za-z0-9_-]+)/.exec(text)?.[1];

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('POST /v1/signup', () => {
  it('creates the tenant and its admin, mails a verification link, and never echoes the password', async () => {
    const slug = uniqueSlug();
    const res = await call('POST', '/v1/signup', { body: signupBody(slug), sourceIp: freshIp() });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      tenant: { id: expect.stringMatching(ULID), slug, name: 'City Clinic' },
      user: {
        id: expect.stringMatching(ULID),
        username: 'Founder',
        fullName: 'Fran Founder',
        email: `${slug}@example.com`,
        roleId: 'admin',
        branchIds: null,
        active: true,
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        updatedAt: expect.any(String),
      },
    });
    expect(res.text).not.toContain(PASSWORD);
    expect(res.text).not.toMatch(/scrypt|passwordHash/);

    const mails = mailsTo(env, `${slug}@example.com`);
    expect(mails).toHaveLength(1);
    expect(Object.keys(mails[0]!).sort()).toEqual(['subject', 'text', 'to']);
    expect(mails[0]!.text).toMatch(/\/verify-email\?token=[A-Za-z0-9_-]{43}\b/);
  });

  it('keeps the signup unusable until the e-mail is verified, then lets the admin in', async () => {
    const slug = uniqueSlug();
    expect((await call('POST', '/v1/signup', { body: signupBody(slug), sourceIp: freshIp() })).status).toBe(
      201,
    );

    const early = await login(slug, 'founder', PASSWORD);
    expect(early.status).toBe(403);
    expect(early.body.type).toMatch(/\/email-not-verified$/);
    // A wrong password still gets the generic 401: the 403 needs the right one.
    expect((await login(slug, 'founder', 'wrong password!')).status).toBe(401);

    const token = tokenFrom(mailsTo(env, `${slug}@example.com`)[0]!.text)!;
    const verified = await call('POST', '/v1/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body).toEqual({ verified: true });

    const again = await call('POST', '/v1/auth/verify-email', { body: { token } });
    expect(again.status).toBe(400);
    expect(again.body.type).toMatch(/\/invalid-token$/);

    const res = await login(slug, 'founder', PASSWORD);
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('Founder');
  });

  it('answers 400 to an unknown verification token and to a malformed request', async () => {
    const unknown = await call('POST', '/v1/auth/verify-email', { body: { token: 'x'.repeat(43) } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.type).toMatch(/\/invalid-token$/);
    expect((await call('POST', '/v1/auth/verify-email', { body: {} })).status).toBe(400);
    expect((await call('POST', '/v1/auth/verify-email', { body: { token: 'a', extra: 1 } })).status).toBe(
      400,
    );
  });

  it('answers 409 to a slug in use, verified or not', async () => {
    const slug = uniqueSlug();
    expect((await call('POST', '/v1/signup', { body: signupBody(slug), sourceIp: freshIp() })).status).toBe(
      201,
    );
    const res = await call('POST', '/v1/signup', {
      body: signupBody(slug, 'other@example.com'),
      sourceIp: freshIp(),
    });
    expect(res.status).toBe(409);
    expect(res.body.type).toMatch(/\/slug-taken$/);
    expect(mailsTo(env, 'other@example.com')).toHaveLength(0);
  });

  it.each([
    ['an upper-case slug', { organization: { name: 'X', slug: 'City' } }],
    ['a two-character slug', { organization: { name: 'X', slug: 'ab' } }],
    ['a slug starting with a hyphen', { organization: { name: 'X', slug: '-abc' } }],
    ['a slug ending with a hyphen', { organization: { name: 'X', slug: 'abc-' } }],
    ['a 41-character slug', { organization: { name: 'X', slug: 'a'.repeat(41) } }],
    ['a short password', { admin: { password: '123456789' } }],
    ['a password over 128 characters', { admin: { password: 'p'.repeat(129) } }],
    ['an invalid e-mail', { admin: { email: 'not-an-address' } }],
    ['an invalid username', { admin: { username: 'a b' } }],
    ['an unknown nested field', { admin: { role: 'owner' } }],
    ['a missing organization name', { organization: { name: undefined } }],
  ])('answers 400 to %s', async (_, change: Record<string, Record<string, unknown>>) => {
    const body = signupBody(uniqueSlug());
    const res = await call('POST', '/v1/signup', {
      body: {
        organization: { ...body.organization, ...change.organization },
        admin: { ...body.admin, ...change.admin },
      },
      sourceIp: freshIp(),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it('accepts 3- and 40-character slugs', async () => {
    for (const slug of ['a1z', uniqueSlug().padEnd(40, '0')]) {
      expect((await call('POST', '/v1/signup', { body: signupBody(slug), sourceIp: freshIp() })).status).toBe(
        201,
      );
    }
  });

  it('lets anyone claim the slug of an unverified signup once it expired, even before TTL removes it', async () => {
    const slug = uniqueSlug();
    const longAgo = new Date(Date.now() - 49 * 3600_000);
    const stale = await provisionTenant(tenantContext({ now: longAgo }), {
      ...signupBody(slug, 'stale@example.com'),
      verified: false,
    });
    const res = await call('POST', '/v1/signup', {
      body: signupBody(slug, 'fresh@example.com'),
      sourceIp: freshIp(),
    });
    expect(res.status).toBe(201);
    expect(res.body.tenant.id).not.toBe(stale.tenant.id);

    // The old signup's token is dead, and its admin cannot log in to the new tenant.
    const old = await call('POST', '/v1/auth/verify-email', { body: { token: stale.verificationToken } });
    expect(old.status).toBe(400);
    const token = tokenFrom(mailsTo(env, 'fresh@example.com')[0]!.text)!;
    expect((await call('POST', '/v1/auth/verify-email', { body: { token } })).status).toBe(200);
    expect((await login(slug, 'founder', PASSWORD)).body.user.email).toBe('fresh@example.com');
  });

  it('holds the slug of an unverified signup for 48 hours and not a second longer (clock)', async () => {
    const slug = uniqueSlug();
    const signedUp = new Date('2031-03-04T10:20:30.456Z');
    await provisionTenant(tenantContext({ now: signedUp }), {
      ...signupBody(slug, 'first@example.com'),
      verified: false,
    });
    // Date only: timers and the SDK keep running. The item is still there (TTL deletes late).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(signedUp.getTime() + 48 * 3600_000 - 1000);
    const held = await call('POST', '/v1/signup', {
      body: signupBody(slug, 'early@example.com'),
      sourceIp: freshIp(),
    });
    expect(held.status).toBe(409);
    vi.setSystemTime(signedUp.getTime() + 48 * 3600_000);
    const res = await call('POST', '/v1/signup', {
      body: signupBody(slug, 'second@example.com'),
      sourceIp: freshIp(),
    });
    expect(res.status).toBe(201);
    expect(mailsTo(env, 'second@example.com')).toHaveLength(1);
    expect(mailsTo(env, 'early@example.com')).toHaveLength(0);
  });

  it('refuses a verification token after 48 hours', async () => {
    const slug = uniqueSlug();
    const now = new Date();
    const { verificationToken } = await provisionTenant(tenantContext({ now: now }), {
      ...signupBody(slug),
      verified: false,
    });
    const later = new Date(now.getTime() + 48 * 3600_000 + 1000);
    await expect(
      verifyEmail(tenantContext({ now: later }), { token: verificationToken! }),
    ).rejects.toMatchObject({ status: 400 });
    // Still valid within the 48 hours.
    await expect(verifyEmail(tenantContext({ now }), { token: verificationToken! })).resolves.toEqual({
      verified: true,
    });
  });

  it('answers 503 with Retry-After when the verification mail cannot be sent, logs why without the address, and the same signup then works', async () => {
    const slug = uniqueSlug();
    const body = signupBody(slug);
    failMails(env);
    const warn = vi.spyOn(logger, 'warn');
    const failed = await call('POST', '/v1/signup', { body, sourceIp: freshIp() });
    expect(failed.status, failed.text).toBe(503);
    expect(failed.headers['content-type']).toBe('application/problem+json');
    expect(failed.headers['retry-after']).toBe('30');
    expect(failed.body.type).toMatch(/\/service-unavailable$/);
    expect(failed.text).not.toContain(body.admin.email);
    const logged = warn.mock.calls.filter(([message]) => String(message).startsWith('mail not sent'));
    expect(logged).toHaveLength(1);
    expect(logged[0]![1]).toMatchObject({ reason: 'failed', subject: 'Verify your Queueline account' });
    expect(JSON.stringify(warn.mock.calls)).not.toContain('@');

    vi.unstubAllEnvs();
    const again = await call('POST', '/v1/signup', { body, sourceIp: freshIp() });
    expect(again.status, again.text).toBe(201);
    const token = tokenFrom(mailsTo(env, body.admin.email)[0]!.text)!;
    expect((await call('POST', '/v1/auth/verify-email', { body: { token } })).status).toBe(200);
    expect((await login(slug, 'founder', PASSWORD)).status).toBe(200);
  });

  it('keeps nothing of a signup whose verification mail failed: slug, tenant, admin, username, token', async () => {
    const ctx = signupContext({ now: new Date() });
    let written: NewTenant | undefined;
    const tenants: TenantStore = {
      ...ctx.tenants,
      create: (signup) => {
        written = signup;
        return ctx.tenants.create(signup);
      },
    };
    const failing = { send: () => Promise.reject(new Error('SES is down')) };
    await expect(
      signup({ ...ctx, tenants, mailer: failing }, signupBody(uniqueSlug())),
    ).rejects.toMatchObject({
      status: 503,
      extra: { retryAfterSeconds: 30 },
    });
    const { tenant, admin, unverified } = written!;
    for (const key of [
      slugClaimKey(tenant.slug),
      tenantKey(tenant.id),
      userKey(tenant.id, admin.id),
      usernameClaimKey(tenant.id, admin.username.toLowerCase()),
      verificationKey(unverified!.verificationTokenHash),
    ]) {
      expect(await storedItem(key), key.pk).toBeUndefined();
    }
  });
});

describe('signup and verify-email: shapes and rules', () => {
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
    expect(Object.keys(res.body.user).sort()).toEqual(USER_FIELDS);
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
    // Uniqueness (409): 'answers 409 to a slug in use' above.
  });

  it('the admin follows the user rules: username, email and password', async () => {
    for (const admin of [{ username: 'ab' }, { email: 'not-an-email' }, { password: 'x'.repeat(9) }]) {
      expect(
        (await call('POST', '/v1/signup', { body: body(uniqueSlug(), admin), sourceIp: freshIp() })).status,
      ).toBe(400);
    }
  });
});
