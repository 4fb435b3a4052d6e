import http from 'node:http';
import { ulid } from 'ulid';
import { type Budget, fixed, progress, quantile, saveSection, scaled, sleep, table } from '#bench/lib/common';
import { benchEnv } from '#bench/lib/dynamo';
import { PASSWORD, tenantWithAdmin } from '#bench/lib/seed';
import { dynamo } from '#core/adapters/dynamo/client';
import { COUNTER_PREFIX } from '#core/adapters/dynamo/items/counter';
import { QUEUE_LIVE_PREFIX } from '#core/adapters/dynamo/items/queue';
import { TICKET_SORT_KEY } from '#core/adapters/dynamo/items/ticket';
import { routes as allRoutes } from '#core/contract/index';
import { createServer, listen } from '#local/server';
import { type DynamoMeasurement, measureDynamo } from '#tests/support/dynamo-metrics';

/**
 * Section 5 — load. The local server (`createServer(routes)` of local/server.ts, the one `npm
 * start` serves, every route of the route table) on 127.0.0.1 in this process, against DynamoDB
 * Local (in memory, a fresh table), driven over HTTP by a bounded driver: kiosks enqueueing
 * back to back, 20 counters looping call-next → complete, 2 waiting-room boards polling with
 * If-None-Match. In process so that `measureDynamo()` can count what the load costs in DynamoDB
 * (requests, failed transactions, SDK retries). Afterwards the data is checked: every ticket's
 * final status, no ticket called twice, numbers without gaps, live counts right.
 */

const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? scaled(60, 10));
const KIOSKS = 10;
const COUNTERS = 20;
const DISPLAYS = 2;

const agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
let baseUrl = '';

interface Res {
  status: number;
  body: any;
  headers: http.IncomingHttpHeaders;
  ms: number;
}

function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const start = performance.now();
    const req = http.request(
      `${baseUrl}${path}`,
      {
        method,
        agent,
        headers: {
          ...headers,
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
          let parsed: unknown = text;
          if (/json/.test(res.headers['content-type'] ?? '') && text) parsed = JSON.parse(text);
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            headers: res.headers,
            ms: performance.now() - start,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end(data);
  });
}

async function must(method: string, path: string, token: string | undefined, body: unknown, status: number) {
  const r = await call(method, path, token, body);
  if (r.status !== status) throw new Error(`${method} ${path} → ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

interface RouteStats {
  latencies: number[];
  statuses: Map<number, number>;
  errors: string[];
}
const routes = new Map<string, RouteStats>();
function record(route: string, r: Res | Error, expected: number[]) {
  const s: RouteStats = routes.get(route) ?? {
    latencies: [],
    statuses: new Map<number, number>(),
    errors: [],
  };
  routes.set(route, s);
  if (r instanceof Error) {
    s.statuses.set(0, (s.statuses.get(0) ?? 0) + 1);
    if (s.errors.length < 5) s.errors.push(r.message);
    return;
  }
  s.latencies.push(r.ms);
  s.statuses.set(r.status, (s.statuses.get(r.status) ?? 0) + 1);
  if (!expected.includes(r.status) && s.errors.length < 5)
    s.errors.push(`${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
}

async function timedCall(
  route: string,
  expected: number[],
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers?: Record<string, string>,
) {
  try {
    const r = await call(method, path, token, body, headers);
    record(route, r, expected);
    return r;
  } catch (error) {
    record(route, error as Error, expected);
    return undefined;
  }
}

async function main() {
  const started = Date.now();
  const { close } = await benchEnv();
  const server = createServer(allRoutes);
  baseUrl = await listen(server, 0, '127.0.0.1');
  const slug = `load-${ulid().toLowerCase()}`;
  await tenantWithAdmin(slug);
  progress(
    `load: local server (createServer(routes)) on ${baseUrl}, DynamoDB Local ${process.env.DYNAMODB_ENDPOINT}`,
  );
  let metrics: DynamoMeasurement | undefined;
  try {
    // ---- setup over HTTP, as an admin would
    const login = async (username: string, password: string) =>
      (await must('POST', '/v1/auth/login', undefined, { tenant: slug, username, password }, 200))
        .accessToken as string;
    const admin = await login('admin', PASSWORD);
    // The demo seed's priorities and a first branch to warm up on (each handler's first use).
    for (const p of [
      { name: 'Preferential', rank: 1, targetWaitMinutes: 10 },
      { name: 'Appointments', rank: 2, targetWaitMinutes: 15 },
      { name: 'General', rank: 3, targetWaitMinutes: 20 },
    ])
      await must('POST', '/v1/priorities', admin, p, 201);
    await must(
      'POST',
      '/v1/branches',
      admin,
      { name: 'Main branch', timezone: 'Europe/Madrid', resetHour: 3 },
      201,
    );
    const priorities = (await must('GET', '/v1/priorities', admin, undefined, 200)).items as Array<{
      id: string;
      name: string;
    }>;
    const pr = (name: string) => priorities.find((p) => p.name === name)!.id;
    const branch = await must(
      'POST',
      '/v1/branches',
      admin,
      { name: 'Load branch', timezone: 'Europe/Madrid', resetHour: 3 },
      201,
    );
    const b = `/v1/branches/${branch.id}`;
    const q: Record<string, string> = {};
    for (const [prefix, name] of [
      ['P', 'Preferential'],
      ['C', 'Appointments'],
      ['G', 'General'],
    ] as const) {
      q[prefix] = (await must('POST', `${b}/queues`, admin, { name, prefix, priorityId: pr(name) }, 201)).id;
    }
    const own = [['P', 'G'], ['C', 'G'], ['G']];
    const counters: string[] = [];
    for (let i = 0; i < COUNTERS; i++) {
      const queueIds = own[i % own.length]!.map((p) => q[p]!);
      counters.push(
        (await must('POST', `${b}/counters`, admin, { name: `Desk ${i + 1}`, queueIds }, 201)).id,
      );
    }
    for (const [username, roleId] of [
      ['kiosk', 'kiosk'],
      ['agent', 'agent'],
      ['display', 'display'],
    ]) {
      await must(
        'POST',
        '/v1/users',
        admin,
        { username, password: PASSWORD, fullName: username, roleId, branchIds: [branch.id] },
        201,
      );
    }
    const kiosk = await login('kiosk', PASSWORD);
    const agentToken = await login('agent', PASSWORD);
    const display = await login('display', PASSWORD);
    // Warm-up on the demo seed's own branch: the local server compiles each handler on first use.
    const main = ((await must('GET', '/v1/branches', admin, undefined, 200)).items as any[]).find(
      (x) => x.id !== branch.id,
    );
    if (main) {
      const mb = `/v1/branches/${main.id}`;
      const mq = (
        await must(
          'POST',
          `${mb}/queues`,
          admin,
          { name: 'Warm-up', prefix: 'W', priorityId: pr('General') },
          201,
        )
      ).id;
      const mc = (await must('POST', `${mb}/counters`, admin, { name: 'Warm-up', queueIds: [mq] }, 201)).id;
      await must('POST', `${mb}/tickets`, admin, { queueId: mq }, 201);
      const called = await must('POST', `${mb}/counters/${mc}/call-next`, admin, undefined, 200);
      await must('POST', `${mb}/tickets/${called.ticket.id}/complete`, admin, undefined, 200);
      await must('GET', `${mb}/board`, admin, undefined, 200);
    }

    // ---- the run
    progress(
      `load: ${SECONDS} s — ${KIOSKS} kiosks enqueueing, ${COUNTERS} counters call-next → complete, ${DISPLAYS} boards polling`,
    );
    const issued: Array<{ id: string; queueId: string; number: number }> = [];
    const calledBy: Array<{ id: string; counter: string }> = [];
    const completed: string[] = [];
    const end = performance.now() + SECONDS * 1000;
    const t0 = performance.now();
    const queueIds = [q.P!, q.C!, q.G!];
    const kioskLoop = async (k: number) => {
      let i = k;
      while (performance.now() < end) {
        const r = Math.abs(Math.sin(++i * 12.9898)) % 1; // cheap deterministic spread: 10 % P, 20 % C, 70 % G
        const queueId = r < 0.1 ? queueIds[0]! : r < 0.3 ? queueIds[1]! : queueIds[2]!;
        const res = await timedCall('enqueue', [201], 'POST', `${b}/tickets`, kiosk, { queueId });
        if (res?.status === 201)
          issued.push({ id: res.body.ticket.id, queueId, number: res.body.ticket.number });
      }
    };
    const counterLoop = async (counter: string) => {
      while (performance.now() < end) {
        const res = await timedCall(
          'call-next',
          [200, 204],
          'POST',
          `${b}/counters/${counter}/call-next`,
          agentToken,
        );
        if (res?.status === 200) {
          const id = res.body.ticket.id as string;
          calledBy.push({ id, counter });
          // Always finish a called ticket, even past the end: the data check expects it done.
          const done = await timedCall('complete', [200], 'POST', `${b}/tickets/${id}/complete`, agentToken);
          if (done?.status === 200) completed.push(id);
        } else {
          await sleep(100);
        }
      }
    };
    const displayLoop = async () => {
      let etag: string | undefined;
      while (performance.now() < end) {
        const res = await timedCall(
          'board',
          [200, 304],
          'GET',
          `${b}/board`,
          display,
          undefined,
          etag ? { 'if-none-match': etag } : {},
        );
        if (res?.headers.etag) etag = res.headers.etag as string;
        await sleep(2_000);
      }
    };
    metrics = measureDynamo();
    // Why transactions were cancelled: the reason code and the kind of item it names.
    const reasons = new Map<string, number>();
    const kindOf = (item: any) => {
      const sk = String(
        item?.Put?.Item?.sk ??
          item?.Update?.Key?.sk ??
          item?.ConditionCheck?.Key?.sk ??
          item?.Delete?.Key?.sk ??
          '',
      );
      if (sk === TICKET_SORT_KEY) return 'ticket';
      if (sk.startsWith(COUNTER_PREFIX)) return 'counter';
      if (sk.startsWith(QUEUE_LIVE_PREFIX)) return 'queue live shard';
      if (/#Q#/.test(sk)) return 'queue-day aggregate';
      if (/#C#/.test(sk)) return 'counter-day aggregate';
      return sk.split('#')[0] || 'other';
    };
    dynamo().middlewareStack.add(
      (next: any) => async (args: any) => {
        try {
          return await next(args);
        } catch (error) {
          const list = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons;
          list?.forEach((r, i) => {
            if (r.Code && r.Code !== 'None') {
              const key = `${r.Code} on ${kindOf(args.input.TransactItems?.[i])}`;
              reasons.set(key, (reasons.get(key) ?? 0) + 1);
            }
          });
          throw error;
        }
      },
      { step: 'initialize', name: 'benchCancellationReasons' },
    );
    const ticker = setInterval(() => {
      progress(
        `load: ${fixed((performance.now() - t0) / 1000, 0)} s — ${issued.length} issued, ${calledBy.length} called, ${completed.length} completed`,
      );
    }, 15_000);
    await Promise.all([
      ...Array.from({ length: KIOSKS }, (_, k) => kioskLoop(k)),
      ...counters.map(counterLoop),
      ...Array.from({ length: DISPLAYS }, displayLoop),
    ]);
    clearInterval(ticker);
    const elapsed = (performance.now() - t0) / 1000;
    metrics.stop();
    dynamo().middlewareStack.remove('benchCancellationReasons');
    const dynamoLog = metrics.log();
    const byCommand = metrics.byCommand();
    const failed = new Map<string, number>();
    for (const e of dynamoLog)
      if (e.error) failed.set(`${e.command} ${e.error}`, (failed.get(`${e.command} ${e.error}`) ?? 0) + 1);
    const sdkRetries = dynamoLog.reduce((a, e) => a + e.attempts - 1, 0);
    progress(`load: run over after ${fixed(elapsed)} s; checking the data`);

    // ---- checks, from the data
    const tickets: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await must(
        'GET',
        `${b}/tickets?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        admin,
        undefined,
        200,
      );
      tickets.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const byId = new Map(tickets.map((t) => [t.id as string, t]));
    const calledCount = new Map<string, number>();
    for (const c of calledBy) calledCount.set(c.id, (calledCount.get(c.id) ?? 0) + 1);
    const doubleCalls = [...calledCount.values()].filter((n) => n > 1).length;
    const calledSet = new Set(calledBy.map((c) => c.id));
    const problems: string[] = [];
    const missing = issued.filter((t) => !byId.has(t.id));
    if (missing.length) problems.push(`${missing.length} issued tickets missing from the listing`);
    if (tickets.length !== issued.length)
      problems.push(`${tickets.length} tickets listed, ${issued.length} issued (201)`);
    const statusCounts = new Map<string, number>();
    let wrongFinal = 0;
    let wrongCounter = 0;
    for (const t of tickets) {
      statusCounts.set(t.status, (statusCounts.get(t.status) ?? 0) + 1);
      const expected = calledSet.has(t.id) ? 'done' : 'waiting';
      if (t.status !== expected) wrongFinal++;
      const by = calledBy.find((c) => c.id === t.id);
      if (by && t.counterId !== by.counter) wrongCounter++;
    }
    if (wrongFinal)
      problems.push(`${wrongFinal} tickets not in their expected final status (called → done, else waiting)`);
    if (wrongCounter)
      problems.push(
        `${wrongCounter} done tickets attributed to another counter than the one that called them`,
      );
    let gaps = 0;
    for (const queueId of queueIds) {
      const numbers = tickets
        .filter((t) => t.queueId === queueId)
        .map((t) => t.number as number)
        .sort((x, y) => x - y);
      numbers.forEach((n, i) => {
        if (n !== i + 1) gaps++;
      });
    }
    if (gaps) problems.push(`${gaps} ticket numbers out of 1..n in their queue (gap or duplicate)`);
    const queuesNow = (await must('GET', `${b}/queues`, admin, undefined, 200)).items as Array<{
      id: string;
      waiting: number;
      prefix: string;
    }>;
    const liveMismatch = queuesNow.filter(
      (qq) => qq.waiting !== tickets.filter((t) => t.queueId === qq.id && t.status === 'waiting').length,
    );
    if (liveMismatch.length)
      problems.push(`live waiting count wrong for queue(s) ${liveMismatch.map((x) => x.prefix).join(', ')}`);

    // ---- figures
    const expected: Record<string, number[]> = {
      enqueue: [201],
      'call-next': [200, 204],
      complete: [200],
      board: [200, 304],
    };
    const routeRows = [...routes].map(([route, s]) => {
      const total = [...s.statuses.values()].reduce((a, v) => a + v, 0);
      const errors = [...s.statuses]
        .filter(([code]) => !expected[route]!.includes(code))
        .reduce((a, [, v]) => a + v, 0);
      return {
        route,
        total,
        rps: total / elapsed,
        p50: quantile(s.latencies, 0.5),
        p99: quantile(s.latencies, 0.99),
        statuses: [...s.statuses]
          .sort((a, b2) => a[0] - b2[0])
          .map(([c, v]) => `${c}: ${v}`)
          .join(', '),
        errors,
        samples: s.errors,
      };
    });
    const totalRequests = routeRows.reduce((a, r) => a + r.total, 0);
    const totalErrors = routeRows.reduce((a, r) => a + r.errors, 0);
    const budgets: Budget[] = [
      {
        name: `Load (${SECONDS} s, ${KIOSKS} kiosks + ${COUNTERS} counters): errors (besides 204)`,
        target: '0',
        measured: `${totalErrors} of ${totalRequests} requests`,
        pass: totalErrors === 0,
      },
      {
        name: 'Load: double calls (from the data afterwards)',
        target: '0',
        measured: `${doubleCalls} (${calledBy.length} calls, ${calledSet.size} distinct tickets)`,
        pass: doubleCalls === 0,
      },
      {
        name: 'Load: data consistent afterwards (final statuses, numbers 1..n, live counts)',
        target: 'no problem',
        measured: problems.length ? problems.join('; ') : `${tickets.length} tickets checked`,
        pass: problems.length === 0,
      },
      {
        name: 'Load: throughput (local server + DynamoDB Local on this machine)',
        target: 'reported',
        measured: `${fixed(totalRequests / elapsed)} req/s; ${fixed(completed.length / elapsed)} tickets served/s`,
        pass: null,
      },
    ];
    const md: string[] = [];
    md.push(
      `The local server (\`createServer(routes)\` of local/server.ts — what \`npm start\` serves — LOG_LEVEL=info, output discarded) on ${baseUrl}, in the bench process, against DynamoDB Local in memory; the driver is the same Node process (keep-alive HTTP agent), so driver, server and DynamoDB Local share this machine's 2 cores. ` +
        `Set-up over HTTP: a new branch, queues P/C/G (10 % / 20 % / 70 % of arrivals), ${COUNTERS} counters (own queues P+G, C+G or G in turn, stealing allowed), kiosk, agent and display users; every route warmed up once on another branch. ` +
        `For ${SECONDS} s: ${KIOSKS} kiosks enqueue back to back (closed loop, no think time), ${COUNTERS} counters loop call-next → complete (100 ms pause after a 204), ${DISPLAYS} boards poll every 2 s with If-None-Match. Called tickets are always completed, also past the end.`,
    );
    md.push('');
    md.push(
      table(
        ['route', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'statuses', 'errors'],
        routeRows.map((r) => [
          r.route,
          r.total,
          fixed(r.rps),
          fixed(r.p50),
          fixed(r.p99),
          r.statuses,
          r.errors,
        ]),
        'lrrrrlr',
      ),
    );
    md.push('');
    md.push(
      `Total ${totalRequests} requests in ${fixed(elapsed)} s = **${fixed(totalRequests / elapsed)} req/s**; ${issued.length} tickets issued, ${calledBy.length} called, ${completed.length} completed (**${fixed(completed.length / elapsed)} served/s**); at the end: ${[...statusCounts].map(([k, v]) => `${v} ${k}`).join(', ')}.`,
    );
    md.push('');
    md.push(
      `Checked afterwards from the data (GET …/tickets, every page; GET …/queues): ${doubleCalls} tickets called twice; ${problems.length ? problems.join('; ') : 'every called ticket is done and attributed to the counter that called it, every other ticket still waiting, every queue numbered 1..n without gap or duplicate, live waiting counts equal to the waiting tickets'}.`,
    );
    md.push('');
    md.push(
      `DynamoDB during the run (measureDynamo on the server's client): ${Object.entries(byCommand)
        .map(([c, v]) => `${v.requests} ${c}`)
        .join(
          ', ',
        )} = ${dynamoLog.length} requests, ${fixed(dynamoLog.length / Math.max(1, totalRequests), 1)} per HTTP request; ` +
        `failed: ${failed.size ? [...failed].map(([k, v]) => `${v} ${k}`).join(', ') : 'none'} (cancellation reasons: ${
          reasons.size
            ? [...reasons]
                .sort((a, b) => b[1] - a[1])
                .map(([k, v]) => `${v} ${k}`)
                .join(', ')
            : 'none'
        }); SDK retries: ${sdkRetries}. ` +
        `Call-next needed ${fixed((byCommand.TransactWriteItems?.requests ?? 0) - issued.length - completed.length, 0)} claim transactions for ${calledBy.length} calls: every lost race (another counter claimed the same head first) is a failed TransactWriteItems, then a fresh setup read, head reads and another attempt.`,
    );
    const errorSamples = routeRows.flatMap((r) => r.samples.map((e) => `${r.route}: ${e}`));
    if (errorSamples.length)
      md.push(
        '',
        `Error samples: ${errorSamples
          .slice(0, 6)
          .map((e) => `\`${e}\``)
          .join('; ')}`,
      );

    saveSection({
      id: 'load',
      title: '5. Load: kiosks and counters against the local server',
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      budgets,
      markdown: md.join('\n'),
      data: {
        routeRows,
        dynamo: {
          byCommand,
          failed: Object.fromEntries(failed),
          reasons: Object.fromEntries(reasons),
          sdkRetries,
        },
        elapsed,
        issued: issued.length,
        called: calledBy.length,
        completed: completed.length,
        doubleCalls,
        problems,
      },
    });
    progress('load: done');
  } finally {
    metrics?.stop();
    agent.destroy();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await close();
  }
}

await main();
