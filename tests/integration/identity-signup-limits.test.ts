import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { call } from '#tests/support/api';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { freshIp, mailsTo, PASSWORD, uniqueSlug } from '#tests/support/identity-fixtures';

/**
 * Signup budgets: 5 a minute per client address, 100 an hour from everyone together, both checked
 * before anything else (no tenant, no mail). A request refused for its address does not count
 * against the shared hour.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

afterEach(() => {
  vi.useRealTimers();
});

const signupBody = (slug: string) => ({
  organization: { name: 'Limited Clinic', slug },
  admin: { username: 'founder', email: `${slug}@example.com`, password: PASSWORD, fullName: 'Fran Founder' },
});

const signup = (body: unknown, sourceIp: string) => call('POST', '/v1/signup', { body, sourceIp });

/** Date only: timers and the SDK keep running; the fixed windows cannot roll over mid-test. */
function freezeAt(iso: string) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
}

describe('POST /v1/signup budgets', () => {
  it('allows 5 signups a minute from one address: the 6th is 429 with Retry-After, sends no mail and keeps nothing', async () => {
    freezeAt('2031-05-06T07:08:20.000Z');
    const ip = freshIp();
    const slugs = Array.from({ length: 6 }, uniqueSlug);
    const first = await Promise.all(slugs.slice(0, 5).map((slug) => signup(signupBody(slug), ip)));
    expect(first.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);

    const over = await signup(signupBody(slugs[5]!), ip);
    expect(over.status).toBe(429);
    expect(over.headers['content-type']).toBe('application/problem+json');
    expect(over.body).toMatchObject({ status: 429, type: expect.stringMatching(/\/rate-limited$/) });
    expect(over.headers['retry-after']).toBe('40');
    expect(mailsTo(env, `${slugs[5]}@example.com`)).toHaveLength(0);
    // Malformed requests are refused too: the budget is checked before anything else.
    expect((await signup({}, ip)).status).toBe(429);

    // Nothing of the refused signup was kept: its slug is free for another client…
    expect((await signup(signupBody(slugs[5]!), freshIp())).status).toBe(201);
    // …and the address may sign up again in the next minute.
    vi.setSystemTime(new Date('2031-05-06T07:09:00.000Z'));
    expect((await signup(signupBody(uniqueSlug()), ip)).status).toBe(201);
  });

  it('allows 100 signups an hour from everyone together; a flood from one address does not use that up', async () => {
    freezeAt('2031-05-06T09:30:00.000Z');
    // One address floods: 5 get through its own budget, the other 15 never reach the shared one.
    const flood = freshIp();
    const flooded = await Promise.all(Array.from({ length: 20 }, () => signup({}, flood)));
    expect(flooded.filter((r) => r.status === 400)).toHaveLength(5);
    expect(flooded.filter((r) => r.status === 429)).toHaveLength(15);
    // 94 more clients, one request each: malformed bodies count like any request (95 + 5 = 99).
    for (let i = 0; i < 94; i += 24) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(24, 94 - i) }, () => signup({ organization: {} }, freshIp())),
      );
      expect(batch.every((r) => r.status === 400)).toBe(true);
    }
    // The 100th of the hour gets through; the 101st does not, from whichever address.
    expect((await signup(signupBody(uniqueSlug()), freshIp())).status).toBe(201);
    const slug = uniqueSlug();
    const over = await signup(signupBody(slug), freshIp());
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe(String(30 * 60));
    expect(mailsTo(env, `${slug}@example.com`)).toHaveLength(0);

    vi.setSystemTime(new Date('2031-05-06T10:00:00.000Z'));
    expect((await signup(signupBody(slug), freshIp())).status).toBe(201);
    expect(mailsTo(env, `${slug}@example.com`)).toHaveLength(1);
  });
});
