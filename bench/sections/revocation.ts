import http from 'node:http';
import { ulid } from 'ulid';
import { type Budget, fixed, median, progress, saveSection, scaled, sleep, table } from '#bench/lib/common';
import { benchEnv } from '#bench/lib/dynamo';
import { PASSWORD, tenantWithAdmin } from '#bench/lib/seed';
import { dynamo } from '#core/adapters/dynamo/client';
import { REVOCATION_PREFIX } from '#core/adapters/dynamo/items/revocation';
import { routes as allRoutes } from '#core/contract/index';
import { REVOCATION_CACHE_MS } from '#core/domain/revocation';
import { createServer, listen } from '#local/server';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { mintToken } from '#tests/support/tokens';

/**
 * Section 6 — revocation of access tokens, against the local server (`createServer(routes)` of
 * local/server.ts on 127.0.0.1, every route, in this process) with the default cache lifetime.
 *
 * Latency: users log in over HTTP and use their access token once a second (GET /v1/permissions, which
 * any valid token may call); at a
 * random moment an admin changes the user (deactivation, deletion, role, branch scope,
 * password) or its custom role's permissions; measured is the time from that change's answer
 * to the first 401 the token gets. Cost: three tenants send GET /v1/permissions (no DynamoDB
 * work of its own) at 1, 10 and 100 requests a second for a minute, all at the same time; the
 * revocation reads are counted per tenant on the SDK middleware stack of `dynamo()`.
 */

const RATE_SECONDS = scaled(60, 15);
const RATES = [1, 10, 100];
const TRIALS_PER_KIND = scaled(2, 1);
const CHANGE_WITHIN_MS = scaled(32_000, 8_000);
const GIVE_UP_MS = 90_000;

let baseUrl = '';

// A connection per request: reused idle connections race the server closing them (ECONNRESET).
const agent = new http.Agent({ keepAlive: false, maxSockets: 256 });

function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      `${baseUrl}${path}`,
      {
        method,
        agent,
        headers: {
          ...(token && { authorization: `Bearer ${token}` }),
          ...(data && { 'content-type': 'application/json', 'content-length': String(data.length) }),
        },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = text && /json/.test(res.headers['content-type'] ?? '');
          resolve({ status: res.statusCode ?? 0, body: json ? JSON.parse(text) : text });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', (e) => reject(new Error(`${method} ${path}: ${e.message}`)));
    req.end(data);
  });
}

async function must(method: string, path: string, token: string | undefined, body: unknown, status: number) {
  const res = await call(method, path, token, body);
  if (res.status !== status)
    throw new Error(`${method} ${path} → ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Revocation reads per tenant id, counted on the SDK middleware stack (no call site changes). */
function countRevocationReads() {
  const reads = new Map<string, number>();
  const plain = (v: any) => (typeof v === 'object' && v !== null ? (v.S ?? v) : v);
  dynamo().middlewareStack.add(
    (next: any, context: any) => async (args: any) => {
      const values = args.input?.ExpressionAttributeValues ?? {};
      if (
        context.commandName === 'QueryCommand' &&
        String(plain(values[':from'])).startsWith(REVOCATION_PREFIX)
      ) {
        const tenant = String(plain(values[':pk'])).replace(/^T#/, '');
        reads.set(tenant, (reads.get(tenant) ?? 0) + 1);
      }
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: 'benchRevocationReads' },
  );
  return reads;
}

type Kind =
  | 'deactivation'
  | 'deletion'
  | 'role change'
  | 'branch scope change'
  | 'password change'
  | 'role permissions';
const KINDS: Kind[] = [
  'deactivation',
  'deletion',
  'role change',
  'branch scope change',
  'password change',
  'role permissions',
];

interface Trial {
  kind: Kind;
  changeAfterMs: number;
  /** From the change's answer to the first 401 (ms); undefined when none came. */
  latencyMs?: number;
  polls: number;
}

async function main() {
  const started = Date.now();
  const { env, close } = await benchEnv();
  const server = createServer(allRoutes);
  baseUrl = await listen(server, 0, '127.0.0.1');
  const reads = countRevocationReads();
  progress(`revocation: local server on ${baseUrl}, cache lifetime ${REVOCATION_CACHE_MS / 1000} s`);
  try {
    // ---- set-up: one tenant for the latency trials, one per request rate
    const slug = `rev-${ulid().toLowerCase()}`;
    const { tenant, user: adminUser } = await tenantWithAdmin(slug);
    const admin = await mintToken(env.signingKey, {
      tenantId: tenant.id,
      userId: adminUser.id,
      role: 'admin',
    });
    const { branchId } = await createBranchFixture({ tenantId: tenant.id });
    const trials: Array<Trial & { userId: string; roleId?: string; token?: string }> = [];
    for (const kind of KINDS) {
      for (let i = 0; i < TRIALS_PER_KIND; i++) {
        const roleId =
          kind === 'role permissions'
            ? (
                await must(
                  'POST',
                  '/v1/roles',
                  admin,
                  { name: `Desk ${trials.length}`, permissions: ['tickets:read', 'branches:read'] },
                  201,
                )
              ).id
            : undefined;
        const username = `user${trials.length}`;
        const user = await must(
          'POST',
          '/v1/users',
          admin,
          { username, password: PASSWORD, fullName: username, roleId: roleId ?? 'agent' },
          201,
        );
        trials.push({
          kind,
          userId: user.id,
          roleId,
          changeAfterMs: 2_000 + Math.random() * (CHANGE_WITHIN_MS - 2_000),
          polls: 0,
        });
      }
    }
    await Promise.all(
      trials.map(async (t, i) => {
        t.token = (
          await must(
            'POST',
            '/v1/auth/login',
            undefined,
            { tenant: slug, username: `user${i}`, password: PASSWORD },
            200,
          )
        ).accessToken;
      }),
    );
    const rateTenants = await Promise.all(
      RATES.map(async (rate) => {
        const { tenant: t } = await tenantWithAdmin(`rate-${rate}-${ulid().toLowerCase()}`);
        return {
          rate,
          tenantId: t.id,
          token: await mintToken(env.signingKey, { tenantId: t.id, role: 'admin' }),
        };
      }),
    );
    reads.clear();

    const change = (t: Trial & { userId: string; roleId?: string }) => {
      const user = `/v1/users/${t.userId}`;
      switch (t.kind) {
        case 'deactivation':
          return call('PATCH', user, admin, { active: false });
        case 'deletion':
          return call('DELETE', user, admin);
        case 'role change':
          return call('PATCH', user, admin, { roleId: 'kiosk' });
        case 'branch scope change':
          return call('PATCH', user, admin, { branchIds: [branchId] });
        case 'password change':
          return call('PATCH', user, admin, { password: 'a brand new password' });
        case 'role permissions':
          return call('PATCH', `/v1/roles/${t.roleId}`, admin, { permissions: ['tickets:read'] });
      }
    };

    // ---- latency: each token used once a second; the change at a random moment
    const runTrial = async (t: (typeof trials)[number]) => {
      const t0 = performance.now();
      let changedAt: number | undefined;
      const changing = sleep(t.changeAfterMs).then(async () => {
        const res = await change(t);
        if (res.status >= 300) throw new Error(`${t.kind}: ${res.status} ${JSON.stringify(res.body)}`);
        changedAt = performance.now();
      });
      for (let tick = 0; performance.now() - t0 < t.changeAfterMs + GIVE_UP_MS; tick++) {
        await sleep(Math.max(0, t0 + tick * 1000 - performance.now()));
        const res = await call('GET', '/v1/permissions', t.token);
        t.polls++;
        if (res.status === 401) {
          if (changedAt === undefined) throw new Error(`${t.kind}: 401 before the change`);
          t.latencyMs = performance.now() - changedAt;
          break;
        }
        if (res.status !== 200) throw new Error(`${t.kind}: GET /v1/permissions → ${res.status}`);
      }
      await changing;
    };

    // ---- cost: an open-loop request stream per tenant
    const counts = new Map<number, { sent: number; statuses: Map<number, number> }>();
    const runRate = async ({ rate, token }: (typeof rateTenants)[number]) => {
      const stats = { sent: 0, statuses: new Map<number, number>() };
      counts.set(rate, stats);
      const t0 = performance.now();
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < rate * RATE_SECONDS; i++) {
        await sleep(Math.max(0, t0 + (i * 1000) / rate - performance.now()));
        stats.sent++;
        inFlight.push(
          call('GET', '/v1/permissions', token).then((r) => {
            stats.statuses.set(r.status, (stats.statuses.get(r.status) ?? 0) + 1);
          }),
        );
      }
      await Promise.all(inFlight);
    };

    progress(
      `revocation: ${trials.length} latency trials (a change within ${CHANGE_WITHIN_MS / 1000} s, tokens used once a second) and ${RATES.join(' / ')} requests/s for ${RATE_SECONDS} s, at the same time`,
    );
    await Promise.all([...trials.map(runTrial), ...rateTenants.map(runRate)]);

    // ---- results
    const latencies = trials.flatMap((t) => (t.latencyMs === undefined ? [] : [t.latencyMs / 1000]));
    const missing = trials.filter((t) => t.latencyMs === undefined).length;
    const worst = Math.max(...latencies);
    const perMinute = (n: number) => (n * 60) / RATE_SECONDS;
    const rateRows = rateTenants.map(({ rate, tenantId }) => {
      const c = counts.get(rate)!;
      const n = reads.get(tenantId) ?? 0;
      return { rate, sent: c.sent, ok: c.statuses.get(200) ?? 0, reads: n, readsPerMinute: perMinute(n) };
    });
    const lifetimes = Math.ceil((RATE_SECONDS * 1000) / REVOCATION_CACHE_MS);
    const budgets: Budget[] = [
      {
        name: `revocation latency, worst of ${trials.length} changes`,
        target: '≤ 60 s',
        measured: `${fixed(worst)} s (median ${fixed(median(latencies))} s)${missing ? `, ${missing} never refused` : ''}`,
        pass: missing === 0 && worst <= 60,
      },
      ...rateRows.map((r) => ({
        name: `revocation reads per tenant at ${r.rate} request/s, ${RATE_SECONDS} s`,
        target: `≤ ${lifetimes} (one per ${REVOCATION_CACHE_MS / 1000} s cache lifetime)`,
        measured: `${r.reads} = ${fixed(r.readsPerMinute, 1)} a minute (${r.ok} of ${r.sent} requests 200)`,
        pass: r.reads <= lifetimes && r.ok === r.sent,
      })),
    ];
    const md = [
      `Access tokens end within 60 s of a change to their user or custom role: the change records a revocation in its own transaction, and every process reads a tenant's revocations at most once per ${REVOCATION_CACHE_MS / 1000} s (core/usecases/identity/revocation-cache.ts). Against the local server in process (every route), DynamoDB Local in memory.`,
      '',
      `**Latency.** ${trials.length} users log in over HTTP and use their access token once a second (\`GET /v1/permissions\`, open to any valid token); an admin changes each at a random moment 2–${CHANGE_WITHIN_MS / 1000} s in. Time from the change's answer to the token's first 401 (one-second polling adds up to 1 s):`,
      '',
      table(
        ['change', 'after (s)', 'first 401 after the change (s)', 'requests with the token'],
        trials.map((t) => [
          t.kind,
          fixed(t.changeAfterMs / 1000),
          t.latencyMs === undefined ? 'never' : fixed(t.latencyMs / 1000),
          t.polls,
        ]),
        'lrrr',
      ),
      '',
      `Worst ${fixed(worst)} s, median ${fixed(median(latencies))} s. The bound is the cache lifetime plus one read (${REVOCATION_CACHE_MS / 1000} s + the read's duration) plus the client's own polling interval; the spread follows where in its cache lifetime each change fell.`,
      '',
      `**Extra DynamoDB reads.** One tenant each at ${RATES.join(', ')} requests/s of \`GET /v1/permissions\` for ${RATE_SECONDS} s (open loop), revocation Queries counted per tenant:`,
      '',
      table(
        [
          'requests/s',
          'requests',
          'answered 200',
          'revocation reads',
          'reads per minute',
          'reads per request',
        ],
        rateRows.map((r) => [
          r.rate,
          r.sent,
          r.ok,
          r.reads,
          fixed(r.readsPerMinute, 1),
          (r.reads / r.sent).toExponential(1),
        ]),
        'rrrrrr',
      ),
      '',
      'The reads do not grow with the request rate: one per tenant and cache lifetime per process. In AWS every warm Lambda instance that serves a tenant has its own cache, so a tenant costs at most 2 strongly consistent reads a minute per such instance (a read of up to 4 KB of revocations is 1 RRU).',
    ];
    saveSection({
      id: 'revocation',
      title: '9. Revocation: latency and cost of ending access tokens',
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      budgets,
      markdown: md.join('\n'),
      data: {
        trials: trials.map(({ kind, changeAfterMs, latencyMs, polls }) => ({
          kind,
          changeAfterMs,
          latencyMs,
          polls,
        })),
        rates: rateRows,
      },
    });
    progress('revocation: done');
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await close();
  }
}

await main();
