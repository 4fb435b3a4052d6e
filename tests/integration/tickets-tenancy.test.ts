import { createECDH, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RouteDef } from '#core/contract/define';
import { routes as allRoutes } from '#core/contract/index';
import { builtInRole } from '#core/domain/permissions';
import { type ApiResponse, call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * Security (docs/rules.md#quality-bars): every ticket route of the route table (iterated, not
 * hand-listed) against another tenant's token (404, never data, nothing changed), a branch
 * outside the caller's scope (403), and the public routes against forged tokens and floods.
 */

let env: TestEnv;
beforeAll(async () => {
  env = await createTestEnv();
});

const routes = allRoutes
  .filter((r) => r.tag === 'Tickets' || r.tag === 'Public')
  .map((r) => [r.function, r] as const);
const bearerRoutes = routes.filter(([, r]) => r.auth === 'bearer');
/** The public routes of a ticket, by its token (the join page's, by branch id: tickets-remote-join.test.ts). */
const publicRoutes = routes.filter(([, r]) => r.auth === 'none' && r.path.includes('{publicToken}'));
/** A valid body for the public routes that take one, and what the real token gets on a waiting ticket. */
const browser = createECDH('prime256v1');
browser.generateKeys();
const publicBodies: Record<string, unknown> = {
  'public-feedback': { rating: 5 },
  'public-notify': { phone: '+34 600 11 22 33' },
  'public-subscribe': {
    endpoint: 'https://push.example.com/send/tenancy-test',
    keys: {
      p256dh: browser.getPublicKey().toString('base64url'),
      auth: randomBytes(16).toString('base64url'),
    },
  },
};
const publicOk: Record<string, number> = {
  'public-feedback': 409,
  'public-erase-contact': 204,
  'public-subscribe': 201,
};

interface World {
  f: BranchFixture;
  admin: string;
  /** A ticket called at counter C1: every ticket action is allowed from `called`. */
  called: { id: string; code: string; publicToken: string };
  /** Still waiting in G. */
  waiting: { id: string; code: string; publicToken: string };
  /** A free counter with tickets waiting in its queue. */
  freeCounter: string;
}

async function world(): Promise<World> {
  const f = await createBranchFixture({
    queues: { G: { priority: 'General' }, P: { priority: 'General' } },
    counters: { C1: { queues: ['G'] }, C2: { queues: ['G'] } },
  });
  const admin = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  const base = `/v1/branches/${f.branchId}`;
  const issued = [];
  for (let i = 0; i < 3; i++) {
    const r = await call('POST', `${base}/tickets`, { token: admin, body: { queueId: f.queues.G!.id } });
    expect(r.status).toBe(201);
    issued.push(r.body.ticket);
  }
  const called = await call('POST', `${base}/counters/${f.counters.C1}/call-next`, { token: admin });
  expect(called.status).toBe(200);
  return {
    f,
    admin,
    called: called.body.ticket,
    waiting: issued.find((t) => t.id !== called.body.ticket.id)!,
    freeCounter: f.counters.C2!,
  };
}

/** The route's path with this world's real ids; unknown parameters fail the test. */
function pathOf(route: RouteDef, w: World): string {
  const ids: Record<string, string> = {
    branchId: w.f.branchId,
    ticketId: w.called.id,
    counterId: w.freeCounter,
  };
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (!id) throw new Error(`No id for path parameter {${name}} of ${route.method} ${route.path}`);
    return id;
  });
}

/**
 * A body that passes the route's own schema, so that validation (400) never answers before
 * the tenancy and scope checks. A route whose body is not listed here must take `{}`, or the
 * test fails.
 */
function bodyOf(route: RouteDef, w: World): unknown {
  if (!route.body) return undefined;
  const G = w.f.queues.G!.id;
  const P = w.f.queues.P!.id;
  const bodies: Record<string, unknown> = {
    enqueue: { queueId: G },
    'transfer-ticket': { queueId: P },
    reassign: { fromQueueId: G, toQueueId: P },
  };
  const body = bodies[route.function] ?? {};
  expect(route.body.safeParse(body).success, `body for ${route.path} must be valid`).toBe(true);
  return body;
}

const send = (route: RouteDef, w: World, token: string) =>
  call(route.method, pathOf(route, w), { token, body: bodyOf(route, w) });

/** Everything a tenant can see of the branch: its tickets (all fields) and its board. */
async function snapshot(w: World) {
  const base = `/v1/branches/${w.f.branchId}`;
  const [tickets, board] = await Promise.all([
    call('GET', `${base}/tickets`, { token: w.admin, query: { limit: '100' } }),
    call('GET', `${base}/board`, { token: w.admin }),
  ]);
  expect(tickets.status).toBe(200);
  expect(board.status).toBe(200);
  return { tickets: tickets.body.items, board: board.body };
}

function expectNoData(res: ApiResponse, w: World) {
  expect(res.headers['content-type']).toBe('application/problem+json');
  for (const secret of [w.called.id, w.called.code, w.called.publicToken, w.waiting.id, w.waiting.code]) {
    expect(res.text ?? '').not.toContain(secret);
  }
}

describe('every bearer ticket route', () => {
  it('is in the table (sanity)', () => {
    expect(bearerRoutes.length).toBeGreaterThanOrEqual(12);
    expect(publicRoutes.length).toBeGreaterThanOrEqual(2);
  });

  for (const [name, route] of bearerRoutes) {
    it(`${name} (${route.method} ${route.path}): another tenant → 404, out-of-scope agent → 403, then the owner → 2xx`, async () => {
      const w = await world();
      const before = await snapshot(w);

      // Another tenant's admin with this tenant's real ids — also when its token claims the branch id.
      for (const branches of [['*'], [w.f.branchId]]) {
        const other = await mintToken(env.signingKey, { tenantId: ulid(), role: 'admin', branches });
        const res = await send(route, w, other);
        expect(res.status, `${name} with another tenant's token: ${res.text}`).toBe(404);
        expectNoData(res, w);
      }

      if (route.path.includes('{branchId}')) {
        const agentPerms = builtInRole('agent')!.permissions as string[];
        const elsewhere = [ulid()];
        // A plain agent scoped to another branch: 403, whichever check answers.
        const agent = await mintToken(env.signingKey, {
          tenantId: w.f.tenantId,
          role: 'agent',
          branches: elsewhere,
        });
        const plain = await send(route, w, agent);
        expect(plain.status, `${name} as an out-of-scope agent: ${plain.text}`).toBe(403);
        expectNoData(plain, w);
        // With the route's permission, so that it is the branch scope that refuses.
        const permitted = await mintToken(env.signingKey, {
          tenantId: w.f.tenantId,
          role: 'agent',
          perms: [...new Set([...agentPerms, ...(route.permission ? [route.permission] : [])])],
          branches: elsewhere,
        });
        const scoped = await send(route, w, permitted);
        expect(scoped.status, `${name} out of scope: ${scoped.text}`).toBe(403);
        expect(scoped.body.type).toMatch(/branch-scope$/);
        expectNoData(scoped, w);
      }

      // None of that changed anything.
      expect(await snapshot(w)).toEqual(before);

      // Control: the same request by the owner is served, so the refusals above were not
      // artefacts of bad ids or bodies.
      const own = await send(route, w, w.admin);
      expect([200, 201, 204], `${name} by the owner: ${own.text}`).toContain(own.status);
    });
  }
});

describe('public ticket routes', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const tamperRandomPart = (token: string) => {
    // Bytes 32–47 (characters 43–63) are the random part; change the last character.
    const last = token.at(-1)!;
    return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
  };

  for (const [name, route] of publicRoutes) {
    const pathFor = (token: string) => route.path.replace('{publicToken}', token);
    const body = publicBodies[name];
    const okStatus = publicOk[name] ?? 200;

    it(`${name} (${route.method} ${route.path}): tampered, unknown and spliced tokens → 404; the real one works`, async () => {
      const w = await world();
      const real = w.waiting.publicToken;
      const other = await world();
      const spliced = Buffer.from(real, 'base64url');
      // Another tenant's id in front of this ticket's id and random part.
      Buffer.from(other.waiting.publicToken, 'base64url').copy(spliced, 0, 0, 16);
      const forged = {
        tampered: tamperRandomPart(real),
        unknown: randomBytes(48).toString('base64url'),
        spliced: spliced.toString('base64url'),
        otherTicketsRandomPart: real.slice(0, 43) + other.waiting.publicToken.slice(43),
      };
      for (const [kind, token] of Object.entries(forged)) {
        expect(token).toMatch(/^[A-Za-z0-9_-]{64}$/);
        const res = await call(route.method, pathFor(token), { sourceIp: '203.0.113.10', body });
        expect(res.status, `${kind}: ${res.text}`).toBe(404);
        expectNoData(res, w);
      }
      const ticket = await call('GET', `/v1/branches/${w.f.branchId}/tickets/${w.waiting.id}`, {
        token: w.admin,
      });
      expect(ticket.body.ticket.status).toBe('waiting');

      const ok = await call(route.method, pathFor(real), { sourceIp: '203.0.113.10', body });
      expect(ok.status).toBe(okStatus);
      if (okStatus === 200) expect(ok.body.code).toBe(w.waiting.code);
    });

    const perMinute = route.rateLimits?.find((l) => l.per === 'ip' && l.windowSeconds === 60)?.limit;
    it(`${name}: more than ${perMinute} requests a minute from one IP → 429 with Retry-After; other IPs unaffected`, async () => {
      const w = await world();
      const limit = perMinute!;
      expect(limit).toBeGreaterThanOrEqual(60);
      // Freeze the wall clock (Date only: timers and the SDK keep running) in the middle of a
      // minute, so that the fixed one-minute window cannot roll over during the burst.
      const now = new Date();
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 30_000));
      // An unknown token: GET and DELETE alike answer 404 without changing anything, and it
      // is counted all the same — the budget is checked before any other work.
      const token = randomBytes(48).toString('base64url');
      const flood = `192.0.2.${10 + publicRoutes.findIndex(([n]) => n === name)}`;
      const statuses: number[] = [];
      for (let i = 0; i < limit; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(20, limit - i) }, () =>
            call(route.method, pathFor(token), { sourceIp: flood, body }),
          ),
        );
        statuses.push(...batch.map((r) => r.status));
      }
      expect(statuses.every((s) => s === 404)).toBe(true);
      const over = await call(route.method, pathFor(token), { sourceIp: flood, body });
      expect(over.status).toBe(429);
      expect(over.headers['content-type']).toBe('application/problem+json');
      const retryAfter = Number(over.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      // Even a real token is refused for that IP now, before anything is read or changed…
      expect(
        (await call(route.method, pathFor(w.waiting.publicToken), { sourceIp: flood, body })).status,
      ).toBe(429);
      const ticket = await call('GET', `/v1/branches/${w.f.branchId}/tickets/${w.waiting.id}`, {
        token: w.admin,
      });
      expect(ticket.body.ticket.status).toBe('waiting');
      // …while another client is served as usual.
      const other = await call(route.method, pathFor(w.waiting.publicToken), {
        sourceIp: `${flood}1`,
        body,
      });
      expect(other.status).toBe(okStatus);
    });
  }
});
