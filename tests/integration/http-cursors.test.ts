import fc from 'fast-check';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { tenantPartition } from '#core/adapters/dynamo/items/tenant';
import { USER_PREFIX, userKey } from '#core/adapters/dynamo/items/user';
import { type ApiResponse, call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * Cursors are opaque and sealed, on every paginated route, through the real handler chain: a
 * cursor is accepted only by the list that issued it (route, path, filters) and only from the
 * user of the tenant it was issued to. Anything else — edited, truncated, forged, another list's,
 * another user's, another tenant's — is a 400 naming `query.cursor`, before any data is read.
 */

let env: TestEnv;

interface Tenant {
  id: string;
  admin: string;
  /** Another admin of the same tenant, with the same permissions. */
  colleague: string;
  branch: BranchFixture;
  otherBranch: BranchFixture;
}

async function seedTenant(): Promise<Tenant> {
  const id = ulid();
  const setup = {
    tenantId: id,
    priorities: { General: { rank: 3 }, Urgent: { rank: 1 } },
    queues: { G: { priority: 'General' }, U: { priority: 'Urgent' } },
    counters: { 'Desk 1': { queues: ['G'] }, 'Desk 2': { queues: ['U'] } },
  };
  const branch = await createBranchFixture(setup);
  const otherBranch = await createBranchFixture(setup);
  const admin = await mintToken(env.signingKey, { tenantId: id, role: 'admin' });
  const colleague = await mintToken(env.signingKey, { tenantId: id, role: 'admin' });
  for (const username of ['anna', 'bruno']) {
    const res = await call('POST', '/v1/users', {
      token: admin,
      body: { username, password: 'x'.repeat(12), fullName: username, roleId: 'agent' },
    });
    expect(res.status, res.text).toBe(201);
  }
  for (const queue of ['G', 'U', 'G']) {
    const res = await call('POST', `/v1/branches/${branch.branchId}/tickets`, {
      token: admin,
      body: { queueId: branch.queues[queue]!.id },
    });
    expect(res.status, res.text).toBe(201);
  }
  return { id, admin, colleague, branch, otherBranch };
}

let a: Tenant;
let b: Tenant;

beforeAll(async () => {
  env = await createTestEnv();
  [a, b] = await Promise.all([seedTenant(), seedTenant()]);
});

/** Every paginated route, as a path in tenant `t` (and in its other branch for branch lists). */
const LISTS: Array<{ name: string; path: (t: Tenant, other?: boolean) => string }> = [
  { name: 'users', path: () => '/v1/users' },
  { name: 'roles', path: () => '/v1/roles' },
  { name: 'priorities', path: () => '/v1/priorities' },
  { name: 'branches', path: () => '/v1/branches' },
  {
    name: 'queues',
    path: (t, other) => `/v1/branches/${(other ? t.otherBranch : t.branch).branchId}/queues`,
  },
  {
    name: 'counters',
    path: (t, other) => `/v1/branches/${(other ? t.otherBranch : t.branch).branchId}/counters`,
  },
  {
    name: 'tickets',
    path: (t, other) => `/v1/branches/${(other ? t.otherBranch : t.branch).branchId}/tickets`,
  },
];

async function firstCursor(path: string, token: string, query: Record<string, string> = {}) {
  const res = await call('GET', path, { token, query: { limit: '1', ...query } });
  expect(res.status, res.text).toBe(200);
  expect(res.body.nextCursor, path).toEqual(expect.any(String));
  return res.body.nextCursor as string;
}

function expectInvalidCursor(res: ApiResponse, what: string) {
  expect(res.status, `${what}: ${res.text}`).toBe(400);
  expect(res.headers['content-type'], what).toBe('application/problem+json');
  expect(res.body.errors, what).toEqual([{ path: 'query.cursor', message: 'Invalid cursor' }]);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe.each(LISTS)('$name: a cursor is sealed to its list and its caller', ({ path }) => {
  it('the issued cursor leads through the whole list, each item once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await call('GET', path(a), {
        token: a.admin,
        query: { limit: '1', ...(cursor && { cursor }) },
      });
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.items.map((item: { id: string }) => item.id));
      cursor = res.body.nextCursor ?? undefined;
    } while (cursor && ++pages < 20);
    const all = await call('GET', path(a), { token: a.admin, query: { limit: '100' } });
    expect(seen).toEqual(all.body.items.map((item: { id: string }) => item.id));
    expect(seen.length).toBeGreaterThanOrEqual(2);
  });

  it('edited, truncated or extended → 400, and nothing is read', async () => {
    const cursor = await firstCursor(path(a), a.admin);
    const dot = cursor.lastIndexOf('.');
    const payload = cursor.slice(0, dot);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const variants: Array<[string, string]> = [
      ['payload edited', flip(cursor, 3)],
      ['seal edited', flip(cursor, cursor.length - 2)],
      ['truncated', cursor.slice(0, -1)],
      ['seal cut off', payload],
      ['extended', `${cursor}A`],
      ['payload alone, re-encoded', base64url(JSON.parse(Buffer.from(payload, 'base64url').toString()))],
    ];
    const m = measureDynamo();
    try {
      for (const [what, edited] of variants) {
        expectInvalidCursor(await call('GET', path(a), { token: a.admin, query: { cursor: edited } }), what);
      }
      expect(m.requests()).toBe(0);
    } finally {
      m.stop();
    }
  });

  it("another user's or another tenant's cursor → 400", async () => {
    const mine = await firstCursor(path(a), a.admin);
    expectInvalidCursor(
      await call('GET', path(a), { token: a.colleague, query: { cursor: mine } }),
      'a colleague with the same rights',
    );
    const theirs = await firstCursor(path(b), b.admin);
    expectInvalidCursor(
      await call('GET', path(a), { token: a.admin, query: { cursor: theirs } }),
      'a cursor of tenant B',
    );
    expectInvalidCursor(
      await call('GET', path(b), { token: b.colleague, query: { cursor: theirs } }),
      "tenant B's own other user",
    );
  });

  it("another list's cursor → 400 (another route, another branch)", async () => {
    const mine = await firstCursor(path(a), a.admin);
    for (const other of LISTS.filter((l) => l.path(a) !== path(a))) {
      const res = await call('GET', other.path(a), { token: a.admin, query: { cursor: mine } });
      expectInvalidCursor(res, `on ${other.name}`);
    }
    if (path(a, true) !== path(a)) {
      expectInvalidCursor(
        await call('GET', path(a, true), { token: a.admin, query: { cursor: mine } }),
        'the same list of another branch',
      );
    }
  });
});

describe('sealed cursors: filters, forgeries and the raw key', () => {
  const tickets = () => `/v1/branches/${a.branch.branchId}/tickets`;

  it('a cursor of one filter is refused by another filter of the same list; limit may change', async () => {
    const waiting = await firstCursor(tickets(), a.admin, { status: 'waiting' });
    expectInvalidCursor(
      await call('GET', tickets(), { token: a.admin, query: { cursor: waiting } }),
      'without the filter',
    );
    expectInvalidCursor(
      await call('GET', tickets(), {
        token: a.admin,
        query: { cursor: waiting, status: 'waiting', queueId: a.branch.queues.G!.id },
      }),
      'with one more filter',
    );
    const next = await call('GET', tickets(), {
      token: a.admin,
      query: { cursor: waiting, status: 'waiting', limit: '50' },
    });
    expect(next.status, next.text).toBe(200);
    expect(next.body.items.length).toBe(2);
  });

  it('the raw key of the own tenant partition, unsealed, is a 400 (was a 500)', async () => {
    for (const forged of [
      { pk: tenantPartition(a.id) },
      { pk: tenantPartition(a.id), sk: USER_PREFIX },
      userKey(a.id, 'z'.repeat(26)),
    ]) {
      const cursor = base64url(forged);
      for (const sealLike of [cursor, `${cursor}.${'A'.repeat(43)}`]) {
        expectInvalidCursor(
          await call('GET', '/v1/users', { token: a.admin, query: { cursor: sealLike } }),
          JSON.stringify(forged),
        );
      }
    }
  });

  it('any one-character change of an issued cursor is a 400, never data, never a 500', async () => {
    const cursor = await firstCursor('/v1/priorities', a.admin);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/%';
    await fc.assert(
      fc.asyncProperty(
        fc.nat(cursor.length),
        fc.constantFrom(...alphabet),
        fc.constantFrom('replace', 'insert', 'delete'),
        async (at, char, how) => {
          const i = Math.min(at, cursor.length - 1);
          const edited =
            how === 'insert'
              ? cursor.slice(0, at) + char + cursor.slice(at)
              : cursor.slice(0, i) + (how === 'replace' ? char : '') + cursor.slice(i + 1);
          fc.pre(edited !== cursor && edited.length > 0);
          const res = await call('GET', '/v1/priorities', { token: a.admin, query: { cursor: edited } });
          expectInvalidCursor(res, `${how} ${JSON.stringify(char)} at ${at}`);
        },
      ),
      { numRuns: 60 },
    );
  });
});
