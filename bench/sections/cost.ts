import { ulid } from 'ulid';
import { type Budget, fixed, progress, saveSection, table, usd } from '#bench/lib/common';
import { benchEnv } from '#bench/lib/dynamo';
import { type Invoked, invoke, prepare, request } from '#bench/lib/invoke';
import { DURATION_MODEL, lambdaDurationMs, operationCost, PRICE_SOURCES, PRICES } from '#bench/lib/pricing';
import { DEMO_SHAPE, PASSWORD, TZ, tenantWithAdmin } from '#bench/lib/seed';
import { dynamoDayCloseStore } from '#core/adapters/dynamo/day-close-store';
import { addDays, businessDayOf } from '#core/domain/business-day';
import { memoryMb } from '#infra/functions';
import { synthesizeAggregates } from '#tests/support/aggregates';
import type { CallOptions } from '#tests/support/api';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { mintToken } from '#tests/support/tokens';

/**
 * Section 2 — DynamoDB requests and capacity units per operation, counted on the SDK middleware
 * stack of `dynamo()` (tests/support/dynamo-metrics.ts: ReturnConsumedCapacity TOTAL is added to
 * every command there, no call site changes), each through the real handler (whole middy chain,
 * in process) against DynamoDB Local. Then dollars per 1,000 tickets served.
 */

export interface Measured {
  operation: string;
  fn: string;
  requests: number;
  read: number;
  write: number;
  unreported: number;
  commands: string[];
  status: number;
  note?: string;
}

const rows: Measured[] = [];

async function measure(
  operation: string,
  method: string,
  path: string,
  options: CallOptions,
  expect: number,
  note?: string,
): Promise<Invoked & { m: Measured }> {
  const prepared = await prepare(method, path, options);
  const metrics = measureDynamo();
  let res: Invoked;
  try {
    res = await invoke(prepared);
  } finally {
    metrics.stop();
  }
  if (res.status !== expect) {
    throw new Error(`${operation}: ${res.status}, expected ${expect}: ${JSON.stringify(res.body)}`);
  }
  const capacity = metrics.capacity();
  const m: Measured = {
    operation,
    fn: prepared.fn,
    requests: metrics.requests(),
    read: capacity.read,
    write: capacity.write,
    unreported: capacity.unreported,
    commands: metrics
      .log()
      .map(
        (e) => e.command + (e.targets.some((t) => t.includes('/')) ? `(${e.targets[0]!.split('/')[1]})` : ''),
      ),
    status: res.status,
    note,
  };
  rows.push(m);
  progress(`cost: ${operation}: ${m.requests} requests, ${m.read} RRU, ${m.write} WRU`);
  return { ...res, m };
}

async function main() {
  const started = Date.now();
  const { env, close } = await benchEnv();
  try {
    const slug = `bench-${ulid().toLowerCase()}`;
    const { tenant, user } = await tenantWithAdmin(slug);
    const f = await createBranchFixture({ ...DEMO_SHAPE, tenantId: tenant.id });
    const token = await mintToken(env.signingKey, { tenantId: tenant.id, userId: user.id, role: 'admin' });
    const base = `/v1/branches/${f.branchId}`;
    const Q = (p: string) => f.queues[p]!.id;
    const C = (n: string) => f.counters[n]!;
    const auth = { token };

    // ---- identity
    const login = await measure(
      'login',
      'POST',
      '/v1/auth/login',
      { body: { tenant: slug, username: 'admin', password: PASSWORD } },
      200,
      'scrypt; the throttle claim is given back on success',
    );
    await measure(
      'refresh',
      'POST',
      '/v1/auth/refresh',
      { body: { refreshToken: login.body.refreshToken } },
      200,
    );

    // ---- tickets: the demo branch (P rank 1, C rank 2, G rank 3; Counter 1 = P+G, 2 = C+G, 3 = G)
    const enqueue = (body: Record<string, unknown>, headers?: Record<string, string>) =>
      ['POST', `${base}/tickets`, { ...auth, body, headers }] as const;
    await measure('enqueue', ...enqueue({ queueId: Q('G') }), 201, 'explicit queue');
    await measure(
      'enqueue (routed by priority)',
      ...enqueue({ priorityId: f.priorities.Preferential!.id }),
      201,
    );
    await measure(
      'enqueue + Idempotency-Key',
      ...enqueue({ queueId: Q('G') }, { 'idempotency-key': `bench-${ulid()}` }),
      201,
    );
    await measure(
      'enqueue (individual priority)',
      ...enqueue({ queueId: Q('C'), priorityId: f.priorities.Preferential!.id }),
      201,
      'queue C with the rank-1 priority: +1 GetItem of the priority',
    );
    // More customers, not measured: G gets 14 waiting, C a rank-2 one too.
    let last: any;
    for (let i = 0; i < 12; i++) last = (await request(...enqueue({ queueId: Q('G') }), 201)).body.ticket;
    await request(...enqueue({ queueId: Q('C') }), 201);

    const board = await measure(
      'board',
      'GET',
      `${base}/board`,
      auth,
      200,
      '3 queues, 4 rank partitions in use',
    );
    await measure(
      'board, If-None-Match (304)',
      'GET',
      `${base}/board`,
      { ...auth, headers: { 'if-none-match': board.headers.etag! } },
      304,
    );
    let ip = 0;
    const publicIp = () => `198.51.100.${(++ip % 250) + 1}`;
    // The last of G's 14: 13 tickets ahead in its partition (the position COUNT reads them).
    const waitingTicket = last;
    await measure(
      'public status',
      'GET',
      `/v1/public/tickets/${waitingTicket.publicToken}`,
      { sourceIp: publicIp() },
      200,
      'waiting, 13 ahead in its partition',
    );
    await measure('get ticket (waiting)', 'GET', `${base}/tickets/${waitingTicket.id}`, auth, 200);

    const cn1 = await measure(
      'call-next',
      'POST',
      `${base}/counters/${C('Counter 3')}/call-next`,
      auth,
      200,
      'H = 1 (Counter 3: G)',
    );
    const cn2 = await measure(
      'call-next (H = 2)',
      'POST',
      `${base}/counters/${C('Counter 1')}/call-next`,
      auth,
      200,
      'H = 2 (Counter 1: P + G)',
    );
    const cn3 = await measure(
      'call-next (H = 3)',
      'POST',
      `${base}/counters/${C('Counter 2')}/call-next`,
      auth,
      200,
      'H = 3 (Counter 2: C ranks 1 and 2 + G)',
    );
    const called = cn1.body.ticket;
    await measure('start', 'POST', `${base}/tickets/${called.id}/start`, auth, 200);
    await measure(
      'public status (serving)',
      'GET',
      `/v1/public/tickets/${called.publicToken}`,
      { sourceIp: publicIp() },
      200,
    );
    await measure('complete', 'POST', `${base}/tickets/${called.id}/complete`, auth, 200, 'from serving');
    await measure(
      'complete (from called)',
      'POST',
      `${base}/tickets/${cn2.body.ticket.id}/complete`,
      auth,
      200,
    );
    await request('POST', `${base}/tickets/${cn3.body.ticket.id}/no-show`, auth, 200);
    await measure(
      'transfer',
      'POST',
      `${base}/tickets/${waitingTicket.id}/transfer`,
      { ...auth, body: { queueId: Q('C') } },
      200,
      'waiting ticket G → C',
    );
    await measure(
      'reassign of 10',
      'POST',
      `${base}/reassign`,
      { ...auth, body: { fromQueueId: Q('G'), toQueueId: Q('P'), count: 10 } },
      200,
      'G → P, 1 source rank partition',
    );
    const call = await request('POST', `${base}/counters/${C('Counter 3')}/call-next`, auth, 200);
    await request('POST', `${base}/tickets/${call.body.ticket.id}/start`, auth, 200);
    const open = (await request('GET', `${base}/board`, auth, 200)).body.queues.reduce(
      (s: number, q: { waiting: number }) => s + q.waiting,
      1,
    );
    await measure(
      'close-day',
      'POST',
      `${base}/close-day`,
      auth,
      200,
      `${open} unfinished tickets (1 serving, ${open - 1} waiting): 1 per ticket`,
    );

    // ---- 31-day report: aggregates of 300 tickets a day written as the ticket store writes them.
    const rb = await createBranchFixture({ ...DEMO_SHAPE, tenantId: tenant.id });
    const days = Array.from({ length: 31 }, (_, i) => addDays('2026-03-01', i));
    progress('cost: writing 31 days × 300 tickets of report aggregates');
    const agents = Array.from({ length: 6 }, () => ulid());
    const synth = await synthesizeAggregates(rb, days, 300, agents);
    const rbase = `/v1/branches/${rb.branchId}/report`;
    const range = { from: days[0]!, to: days.at(-1)! };
    for (const groupBy of ['day', 'queue', 'hour', 'agent']) {
      await measure(
        `report 31 days, groupBy=${groupBy}`,
        'GET',
        rbase,
        { ...auth, query: { ...range, groupBy } },
        200,
        `${synth.items} open-day aggregate items (${synth.issued} tickets)`,
      );
    }
    progress('cost: rolling the 31 days up as the nightly close does (dynamoDayCloseStore.rollUpDays)');
    await dynamoDayCloseStore.rollUpDays(tenant.id, rb.branchId, days[0]!, days.at(-1)!);
    for (const groupBy of ['day', 'queue', 'hour', 'agent']) {
      await measure(
        `report 31 closed days, groupBy=${groupBy}`,
        'GET',
        rbase,
        { ...auth, query: { ...range, groupBy } },
        200,
        '31 day rollups',
      );
    }

    // ---- budgets
    const get = (op: string) => rows.find((r) => r.operation === op)!;
    const heads = (r: Measured) => r.commands.filter((c) => c === 'Query(waiting)').length;
    const budgets: Budget[] = [
      {
        name: 'enqueue requests',
        target: '≤ 2',
        measured: `${get('enqueue').requests} (${get('enqueue').commands.join(' + ')})`,
        pass: get('enqueue').requests <= 2,
      },
      ...['call-next', 'call-next (H = 2)', 'call-next (H = 3)'].map((op): Budget => {
        const r = get(op);
        const h = heads(r);
        return {
          name: `${op === 'call-next' ? 'call-next (H = 1)' : op} requests, uncontended`,
          target: `≤ H + 1 = ${h + 1}`,
          measured: `${r.requests} (${r.commands.join(' + ')})`,
          pass: r.requests <= h + 1,
        };
      }),
      {
        name: 'board requests, a display polling with its ETag (unchanged → 304)',
        target: '≤ 3',
        measured: `${get('board, If-None-Match (304)').requests}`,
        pass: get('board, If-None-Match (304)').requests <= 3,
      },
      {
        name: 'board requests, changed (demo branch: 3 queues, 4 rank partitions in use: 1 + 4 heads)',
        target: '≤ 3',
        measured: `${get('board').requests}`,
        pass: get('board').requests <= 3,
      },
      ...['day', 'queue', 'hour', 'agent'].map((g): Budget => {
        const r = get(`report 31 closed days, groupBy=${g}`);
        return {
          name: `31-day report requests (days closed and rolled up), groupBy=${g}`,
          target: '≤ 2',
          measured: `${r.requests} (${r.commands.join(' + ')})`,
          pass: r.requests <= 2,
        };
      }),
      ...['day', 'queue'].map((g): Budget => {
        const r = get(`report 31 days, groupBy=${g}`);
        return {
          name: `31-day report requests before any day close (${g}: over 1 MB of open-day items)`,
          target: 'reported',
          measured: `${r.requests} (${r.commands.join(' + ')})`,
          pass: null,
        };
      }),
    ];

    // ---- dollars per 1,000 tickets served
    const A = {
      ticketsPerBranchDay: 300,
      openHours: 10,
      boardPollSeconds: 5,
      boardsPerBranch: 1,
      statusShare: 0.5,
      statusPollSeconds: 30,
      averageWaitMinutes: 12,
    };
    const boardPollsPerTicket =
      (A.boardsPerBranch * (A.openHours * 3600)) / A.boardPollSeconds / A.ticketsPerBranchDay;
    // A ticket changes the board 4 times (issued, called, started, done): those polls rebuild it,
    // the others are answered 304 after the setup read.
    const boardChangesPerTicket = Math.min(4, boardPollsPerTicket);
    const statusPollsPerTicket = A.statusShare * ((A.averageWaitMinutes * 60) / A.statusPollSeconds);
    const journey: Array<[string, string, number]> = [
      ['enqueue', 'enqueue', 1],
      ['call-next (H = 2)', 'call-next', 1],
      ['start', 'start-ticket', 1],
      ['complete', 'complete-ticket', 1],
      ['board', 'board', boardChangesPerTicket],
      ['board, If-None-Match (304)', 'board', boardPollsPerTicket - boardChangesPerTicket],
      ['public status', 'public-ticket', statusPollsPerTicket],
    ];
    const costRows = journey.map(([op, fn, perTicket]) => {
      const r = get(op);
      const c = operationCost(r, memoryMb(fn));
      return {
        op,
        perTicket,
        r,
        c,
        per1000: {
          dynamo: c.dynamo * perTicket * 1000,
          lambda: c.lambda * perTicket * 1000,
          api: c.apiGateway * perTicket * 1000,
        },
      };
    });
    const totals = costRows.reduce(
      (t, x) => ({
        dynamo: t.dynamo + x.per1000.dynamo,
        lambda: t.lambda + x.per1000.lambda,
        api: t.api + x.per1000.api,
      }),
      { dynamo: 0, lambda: 0, api: 0 },
    );
    const core = costRows
      .slice(0, 4)
      .reduce((s, x) => s + x.per1000.dynamo + x.per1000.lambda + x.per1000.api, 0);
    const total = totals.dynamo + totals.lambda + totals.api;
    budgets.push({
      name: 'US$ per 1,000 tickets served end-to-end (on-demand, us-east-1)',
      target: 'reported',
      measured: `${usd(total, 3)} with board and status polls (${usd(core, 3)} for enqueue → call-next → start → complete alone)`,
      pass: null,
    });

    // ---- Markdown
    const md: string[] = [];
    md.push(
      "Each operation once, through its real handler (whole middy chain) in process, against DynamoDB Local; requests and capacity counted by `measureDynamo()` (tests/support/dynamo-metrics.ts), which adds `ReturnConsumedCapacity: TOTAL` to every command on `dynamo()`'s middleware stack. " +
        "The branch is the demo seed's (priorities ranks 1/2/3, queues P, C, G; Counter 1 = P+G, Counter 2 = C+G, Counter 3 = G) written with `createBranchFixture()`. " +
        'H = candidate (queue × rank) partitions with waiting tickets that call-next reads a head of. RRU/WRU as DynamoDB Local reports them (on-demand rules; it reports 0 for a Query that reads nothing, where DynamoDB bills 0.5).',
    );
    md.push('');
    md.push(
      table(
        ['operation', 'function', 'requests', 'RRU', 'WRU', 'commands', 'note'],
        rows.map((r) => [
          r.operation,
          r.fn,
          r.requests,
          fixed(r.read),
          fixed(r.write),
          r.commands.join(', '),
          r.note ?? '',
        ]),
        'llrrrll',
      ),
    );
    md.push('');
    md.push(
      `31-day report data: aggregate items written the way core/adapters/dynamo/ticket-store.ts writes them — each of ${synth.issued.toLocaleString('en')} tickets (300 a day, 08:00–20:00, 6 agents) taken through issueChange / callChange / actionChange / expireChange of core/domain/ticket-changes.ts and its StatWrites applied to the counter-day item or a random one of the 8 queue-day shards (${synth.items} items); then rolled up by the real \`dynamoDayCloseStore.rollUpDaysBefore()\` for the "closed days" rows.`,
    );
    md.push('');
    md.push('#### US$ per 1,000 tickets served');
    md.push('');
    md.push(
      `A ticket served end-to-end = enqueue + call-next (H = 2, the demo's Counter 1) + start + complete, plus its share of polls. Assumptions: a branch serves ${A.ticketsPerBranchDay} tickets in ${A.openHours} open hours; ${A.boardsPerBranch} waiting-room board per branch polls every ${A.boardPollSeconds} s → **${fixed(boardPollsPerTicket)} board polls per ticket**, ${fixed(boardChangesPerTicket)} of them after a change (a full board) and the rest answered 304 after the one setup read; ${A.statusShare * 100} % of customers keep the status page open, polling every ${A.statusPollSeconds} s through an average wait of ${A.averageWaitMinutes} min → **${fixed(statusPollsPerTicket)} status polls per ticket**. ` +
        `Lambda: arm64, memory as configured (infra/functions.ts: 512 MB; 1024 MB for scrypt functions), billed duration modelled as ${DURATION_MODEL.fixedMs} ms + ${DURATION_MODEL.perRequestMs} ms per DynamoDB request (DynamoDB Local's latency says nothing about DynamoDB's).`,
    );
    md.push('');
    md.push(
      table(
        [
          'operation',
          'per ticket',
          'requests',
          'RRU',
          'WRU',
          'modelled ms',
          'DynamoDB $/1k tickets',
          'Lambda $/1k',
          'API GW $/1k',
          'total $/1k',
        ],
        [
          ...costRows.map((x) => [
            x.op,
            fixed(x.perTicket, 1),
            x.r.requests,
            fixed(x.r.read),
            fixed(x.r.write),
            lambdaDurationMs(x.r.requests),
            usd(x.per1000.dynamo, 5),
            usd(x.per1000.lambda, 5),
            usd(x.per1000.api, 5),
            usd(x.per1000.dynamo + x.per1000.lambda + x.per1000.api, 5),
          ]),
          [
            '**total**',
            '',
            '',
            '',
            '',
            '',
            usd(totals.dynamo, 4),
            usd(totals.lambda, 4),
            usd(totals.api, 4),
            `**${usd(total, 4)}**`,
          ],
        ],
        'lrrrrrrrrr',
      ),
    );
    md.push('');
    md.push(
      `Without any polling, the four ticket operations alone cost **${usd(core, 4)} per 1,000 tickets**. Per 1,000 tickets the polls are ${fixed(boardPollsPerTicket * 1000, 0)} board and ${fixed(statusPollsPerTicket * 1000, 0)} status requests: at these assumptions the polling, not the queue, is most of the bill.`,
    );
    md.push('');
    md.push(
      `Prices (per unit): RRU ${PRICES.rru * 1e6} $/M, WRU ${PRICES.wru * 1e6} $/M, Lambda ${PRICES.lambdaRequest * 1e6} $/M requests + ${PRICES.lambdaGbSecondArm} $/GB-s (arm64), HTTP API ${PRICES.httpApiRequest * 1e6} $/M. Sources:`,
    );
    md.push('');
    for (const s of PRICE_SOURCES) md.push(`- ${s}`);
    const today = businessDayOf(new Date(), TZ, 3);

    saveSection({
      id: 'cost',
      title: '2. Cost per operation',
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      budgets,
      markdown: md.join('\n'),
      data: { rows, assumptions: A, boardPollsPerTicket, statusPollsPerTicket, totals, core, today },
    });
    progress('cost: done');
  } finally {
    await close();
  }
}

await main();
