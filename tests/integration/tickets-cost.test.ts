import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicStatus as statusAt } from '#core/usecases/tickets/public-status';
import { publicTicketContext } from '#functions/commons/context';
import { type ApiResponse, call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { bruteForcePosition, callOrder, positionSlack } from '#tests/support/brute-force-positions';
import { type DynamoMeasurement, measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';
import { seedElderlyMix } from '#tests/support/waiting-seed';

/**
 * DynamoDB cost per ticket operation (docs/rules.md#quality-bars, docs/data-model.md "Access
 * patterns"): deterministic budgets of requests — counted on the SDK middleware stack, never by
 * timing — and the capacity units DynamoDB Local reports for them (ReturnConsumedCapacity TOTAL;
 * see tests/support/dynamo-metrics.ts). The budgets are derived from the implementation:
 *
 *   setup   = 1 Query (the branch's `A#` items, strongly consistent)
 *   enqueue = setup (which holds the queue's numbering) + TransactWriteItems claiming the next
 *             number on condition; the position is arithmetic over the setup read       = 2
 *             (+1 GetItem of the individual priority when `priorityId` is given with `queueId`)
 *             (+2 with Idempotency-Key: conditional Put claim + Update storing the response)
 *   call-next = setup + H head Queries (Limit 1) + TransactWriteItems                = H + 2
 *             H = non-empty (queue × rank) partitions among the counter's candidate queues
 *   start / complete = GetItem (ticket) + setup + TransactWriteItems                   = 3
 *   transfer = GetItem + setup (target queue) + TransactWriteItems                      = 3
 *             (+1 Query Limit 1 when tickets wait in the target line: the first one after the
 *              moved ticket's place, whose entry its place records)
 *   reassign count n = setup + R Queries of the source queue's rank partitions + n TransactWrites
 *   board = setup + one Query (Limit 5) per queue × rank in use                         = 1 + Σ R
 *   public status = UpdateItem (rate window) + GetItem + setup + GetItem (the tenant's
 *             branding, beside the setup); the position is arithmetic over the setup read
 *             (docs/data-model.md), at any position                                     = 4
 *   get ticket = GetItem + setup                                                        = 2
 *
 * The scale tests run the same operations on two identical branches, one with 10 and one with
 * 300 tickets waiting in the counter's queues, and require the same number of requests — and,
 * where the design promises it, the same capacity.
 */

let env: TestEnv;

interface Row {
  operation: string;
  requests: number;
  read: number;
  write: number;
  unreported: number;
}
const rows: Row[] = [];

beforeAll(async () => {
  env = await createTestEnv();
});

afterAll(() => {
  if (rows.length === 0) return;
  const pad = (s: string | number, n: number) => String(s).padEnd(n);
  const lines = [
    `${pad('operation', 56)} ${pad('requests', 8)} ${pad('RCU', 7)} ${pad('WCU', 7)} unreported`,
    ...rows.map(
      (r) =>
        `${pad(r.operation, 56)} ${pad(r.requests, 8)} ${pad(r.read, 7)} ${pad(r.write, 7)} ${r.unreported}`,
    ),
  ];
  console.log(
    `DynamoDB cost per operation (DynamoDB Local, ReturnConsumedCapacity TOTAL)\n${lines.join('\n')}`,
  );
});

interface Cost {
  requests: number;
  capacity: number;
  read: number;
  write: number;
  byCommand: ReturnType<DynamoMeasurement['byCommand']>;
  commands: string[];
}

/** Runs one API call while measuring; records a table row under `label`. */
async function measure(label: string, fn: () => Promise<ApiResponse>, expectStatus: number) {
  const m = measureDynamo();
  let res: ApiResponse;
  try {
    res = await fn();
  } finally {
    m.stop();
  }
  expect(res.status, `${label}: ${res.text}`).toBe(expectStatus);
  const capacity = m.capacity();
  const cost: Cost = {
    requests: m.requests(),
    capacity: capacity.total,
    read: capacity.read,
    write: capacity.write,
    byCommand: m.byCommand(),
    commands: m.log().map((e) => e.command),
  };
  // DynamoDB Local reports capacity for every data-plane command we use.
  expect(capacity.unreported, `${label}: commands without ConsumedCapacity`).toBe(0);
  rows.push({
    operation: label,
    requests: cost.requests,
    read: capacity.read,
    write: capacity.write,
    unreported: capacity.unreported,
  });
  return { res, cost };
}

const count = (cost: Cost, command: string) => cost.byCommand[command]?.requests ?? 0;

interface World {
  f: BranchFixture;
  token: string;
  base: string;
}

/**
 * Two priorities (ranks 1 and 3) plus an individual one (rank 2); queues P and G; three counters.
 */
async function world(): Promise<World> {
  const f = await createBranchFixture({
    priorities: {
      Preferential: { rank: 1, targetWaitMinutes: 10 },
      Elderly: { rank: 2, targetWaitMinutes: 10 },
      General: { rank: 3 },
    },
    queues: { P: { priority: 'Preferential' }, G: { priority: 'General' } },
    counters: {
      Both: { queues: ['P', 'G'] },
      General1: { queues: ['G'] },
      General2: { queues: ['G'] },
    },
  });
  const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
  return { f, token, base: `/v1/branches/${f.branchId}` };
}

const issue = (w: World, body: Record<string, unknown>, headers?: Record<string, string>) =>
  call('POST', `${w.base}/tickets`, { token: w.token, body, headers });

/** Issues `n` tickets (10 at a time); returns them in call order (queuedAt, then id). */
async function issueMany(w: World, queue: string, n: number) {
  const tickets: Array<{ id: string; publicToken: string; queuedAt: string }> = [];
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, () => issue(w, { queueId: w.f.queues[queue]!.id })),
    );
    for (const r of batch) {
      expect(r.status).toBe(201);
      tickets.push(r.body.ticket);
    }
  }
  const key = (t: { id: string; queuedAt: string }) => `${t.queuedAt}#${t.id}`;
  return tickets.sort((a, b) => key(a).localeCompare(key(b)));
}

let ip = 0;
const publicStatus = (token: string) =>
  call('GET', `/v1/public/tickets/${token}`, { sourceIp: `198.51.100.${++ip % 250}` });

describe('requests per operation (exact budgets)', () => {
  it('enqueue, call-next, start, complete, transfer, board, public status, get ticket', async () => {
    const w = await world();
    const G = w.f.queues.G!.id;
    const P = w.f.queues.P!.id;

    const enq = await measure('enqueue (explicit queue)', () => issue(w, { queueId: G }), 201);
    expect(enq.cost.commands).toEqual(['Query', 'TransactWriteItems']);

    const routed = await measure(
      'enqueue (routed by priority)',
      () => issue(w, { priorityId: w.f.priorities.Preferential!.id }),
      201,
    );
    expect(routed.cost.requests).toBe(2);

    const idem = await measure(
      'enqueue + Idempotency-Key',
      () => issue(w, { queueId: G }, { 'idempotency-key': `cost-${Date.now()}` }),
      201,
    );
    expect(idem.cost.requests).toBe(2 + 2);

    // An individual priority (Elderly, rank 2) in queue G: +1 GetItem of the priority; which
    // rank-3 tickets aged past it is arithmetic over the setup read, not a COUNT.
    const indiv = await measure(
      'enqueue (explicit queue + individual priority)',
      () => issue(w, { queueId: G, priorityId: w.f.priorities.Elderly!.id }),
      201,
    );
    expect(indiv.cost.requests).toBe(2 + 1);
    expect(count(indiv.cost, 'GetItem')).toBe(1);
    expect(count(indiv.cost, 'Query')).toBe(1);

    // Now waiting: P rank 1 (1 ticket); G rank 3 (2 tickets) and rank 2 (1 ticket).
    const board = await measure(
      'board (P: 1 rank, G: 2 ranks)',
      () => call('GET', `${w.base}/board`, { token: w.token }),
      200,
    );
    expect(board.cost.requests).toBe(1 + 1 + 2);
    expect(count(board.cost, 'Query')).toBe(4);
    // A display polling with the ETag it has: the setup read alone decides, 304 in 1 request.
    const unchanged = await measure(
      'board, unchanged (If-None-Match)',
      () =>
        call('GET', `${w.base}/board`, {
          token: w.token,
          headers: { 'if-none-match': board.res.headers.etag! },
        }),
      304,
    );
    expect(unchanged.cost.requests).toBe(1);

    const waitingTicket = enq.res.body.ticket;
    const pub = await measure(
      'public status (waiting, queue with 2 ranks)',
      () => publicStatus(waitingTicket.publicToken),
      200,
    );
    // Rate window + ticket + setup and the tenant's branding at once: the position is
    // arithmetic over the setup read.
    expect([...pub.cost.commands].sort()).toEqual(['GetItem', 'GetItem', 'Query', 'UpdateItem']);

    const get = await measure(
      'get ticket (waiting)',
      () => call('GET', `${w.base}/tickets/${waitingTicket.id}`, { token: w.token }),
      200,
    );
    expect(get.cost.requests).toBe(2);

    // call-next at "Both" (P and G): H = P#1 + G#2 + G#3 = 3 partitions.
    const both = w.f.counters.Both!;
    const next3 = await measure(
      'call-next (H = 3 partitions)',
      () => call('POST', `${w.base}/counters/${both}/call-next`, { token: w.token }),
      200,
    );
    expect(next3.cost.requests).toBe(3 + 2);
    expect(count(next3.cost, 'TransactWriteItems')).toBe(1);
    const called = next3.res.body.ticket;
    expect(called.queueId).toBe(P);

    // call-next at General1 (G only): H = 2 (ranks 2 and 3).
    const next2 = await measure(
      'call-next (H = 2 partitions)',
      () => call('POST', `${w.base}/counters/${w.f.counters.General1}/call-next`, { token: w.token }),
      200,
    );
    expect(next2.cost.requests).toBe(2 + 2);

    const start = await measure(
      'start',
      () => call('POST', `${w.base}/tickets/${called.id}/start`, { token: w.token }),
      200,
    );
    expect(start.cost.commands.sort()).toEqual(['GetItem', 'Query', 'TransactWriteItems']);

    const pubCalled = await measure('public status (serving)', () => publicStatus(called.publicToken), 200);
    expect(pubCalled.cost.requests).toBe(4);
    const getCalled = await measure(
      'get ticket (serving)',
      () => call('GET', `${w.base}/tickets/${called.id}`, { token: w.token }),
      200,
    );
    expect(getCalled.cost.requests).toBe(2);

    const complete = await measure(
      'complete',
      () => call('POST', `${w.base}/tickets/${called.id}/complete`, { token: w.token }),
      200,
    );
    expect(complete.cost.requests).toBe(3);

    const transfer = await measure(
      'transfer (waiting ticket, G → P)',
      () =>
        call('POST', `${w.base}/tickets/${waitingTicket.id}/transfer`, {
          token: w.token,
          body: { queueId: P },
        }),
      200,
    );
    expect(transfer.cost.commands.sort()).toEqual(['GetItem', 'Query', 'TransactWriteItems']);
    // Into a line where a ticket waits (the one just moved): +1 Query Limit 1 for the first
    // ticket after the moved one's place.
    const transferInto = await measure(
      'transfer (G → P, the target line holds a ticket)',
      () =>
        call('POST', `${w.base}/tickets/${idem.res.body.ticket.id}/transfer`, {
          token: w.token,
          body: { queueId: P },
        }),
      200,
    );
    expect(transferInto.cost.commands.sort()).toEqual(['GetItem', 'Query', 'Query', 'TransactWriteItems']);

    // An empty branch: the setup's live counts say nobody waits.
    const empty = await createBranchFixture({});
    const emptyToken = await mintToken(env.signingKey, { tenantId: empty.tenantId, role: 'admin' });
    const none = await measure(
      'call-next (nothing waiting → 204)',
      () =>
        call('POST', `/v1/branches/${empty.branchId}/counters/${empty.counters['Counter 1']}/call-next`, {
          token: emptyToken,
        }),
      204,
    );
    // The setup's live counts say nobody waits: not a single index read.
    expect(none.cost.commands).toEqual(['Query']);
  });

  it('reassign of 10: setup + one read per source rank partition + one transaction per ticket', async () => {
    const w = await world();
    await issueMany(w, 'G', 12);
    const r = await measure(
      'reassign count 10 (12 waiting, 1 rank)',
      () =>
        call('POST', `${w.base}/reassign`, {
          token: w.token,
          body: { fromQueueId: w.f.queues.G!.id, toQueueId: w.f.queues.P!.id, count: 10 },
        }),
      200,
    );
    expect(r.res.body.count).toBe(10);
    expect(r.cost.requests).toBe(1 + 1 + 10);
    expect(count(r.cost, 'TransactWriteItems')).toBe(10);
  });
});

describe('cost does not grow with queue length', () => {
  it('10 vs 300 waiting: the same requests (and capacity where the design says so)', async () => {
    const sizes = [10, 300] as const;
    const costs: Record<number, Record<string, Cost>> = {};
    for (const n of sizes) {
      const w = await world();
      // n waiting in G, one in P: the "Both" counter has H = 2 candidate partitions.
      const tickets = await issueMany(w, 'G', n);
      await issueMany(w, 'P', 1);
      const c: Record<string, Cost> = {};
      c.enqueue = (
        await measure(`enqueue, ${n} waiting`, () => issue(w, { queueId: w.f.queues.G!.id }), 201)
      ).cost;
      c.board = (
        await measure(`board, ${n} waiting`, () => call('GET', `${w.base}/board`, { token: w.token }), 200)
      ).cost;
      c.publicHead = (
        await measure(
          `public status of the head, ${n} waiting`,
          () => publicStatus(tickets[0]!.publicToken),
          200,
        )
      ).cost;
      c.publicTail = (
        await measure(
          `public status of the tail, ${n} waiting`,
          () => publicStatus(tickets.at(-1)!.publicToken),
          200,
        )
      ).cost;
      c.getTail = (
        await measure(
          `get ticket (tail), ${n} waiting`,
          () => call('GET', `${w.base}/tickets/${tickets.at(-1)!.id}`, { token: w.token }),
          200,
        )
      ).cost;
      c.callNext = (
        await measure(
          `call-next (H = 2), ${n} waiting`,
          () => call('POST', `${w.base}/counters/${w.f.counters.Both}/call-next`, { token: w.token }),
          200,
        )
      ).cost;
      c.callNextG = (
        await measure(
          `call-next (H = 1), ${n} waiting`,
          () => call('POST', `${w.base}/counters/${w.f.counters.General1}/call-next`, { token: w.token }),
          200,
        )
      ).cost;
      c.reassign = (
        await measure(
          `reassign count 10, ${n} waiting`,
          () =>
            call('POST', `${w.base}/reassign`, {
              token: w.token,
              body: { fromQueueId: w.f.queues.G!.id, toQueueId: w.f.queues.P!.id, count: 10 },
            }),
          200,
        )
      ).cost;
      costs[n] = c;
    }
    const small = costs[10]!;
    const large = costs[300]!;

    // Exact budgets, equal at both sizes.
    const budgets: Record<string, number> = {
      enqueue: 2,
      board: 1 + 1 + 1,
      publicHead: 4,
      publicTail: 4,
      getTail: 2,
      callNext: 2 + 2,
      callNextG: 1 + 2,
      reassign: 1 + 1 + 10,
    };
    for (const [op, budget] of Object.entries(budgets)) {
      expect(small[op]!.requests, `${op} with 10 waiting`).toBe(budget);
      expect(large[op]!.requests, `${op} with 300 waiting`).toBe(budget);
    }
    // Capacity too: call-next reads the heads only, the board the first 5 per partition,
    // enqueue nothing per ticket, a position nothing but the setup; reassign of 10 reads 10 per
    // partition. (Live shards and the numbering are small items whose counters grow a digit
    // now and then — by the numbers they hold, not the tickets behind them — so a unit of
    // difference is tolerated.)
    for (const op of [
      'enqueue',
      'board',
      'publicHead',
      'publicTail',
      'getTail',
      'callNext',
      'callNextG',
      'reassign',
    ]) {
      expect(
        Math.abs(large[op]!.capacity - small[op]!.capacity),
        `${op}: capacity with 300 vs 10 waiting (${large[op]!.capacity} vs ${small[op]!.capacity})`,
      ).toBeLessThanOrEqual(1);
    }
  });
});

describe('public status costs the same at any position', () => {
  it('positions 2 and 10,000, three ranks with aging, cancellations ahead: same requests (≤ 4), ≤ 5 RRU, brute-force positions', {
    timeout: 600_000,
  }, async () => {
    const f = await createBranchFixture({
      agingMinutes: 15,
      priorities: {
        Preferential: { rank: 1 },
        Elderly: { rank: 2 },
        General: { rank: 3 },
      },
      queues: { G: { priority: 'General' } },
    });
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const base = `/v1/branches/${f.branchId}`;
    // 10,000 waiting over the last two hours, every 10th with the Elderly priority (rank 2) …
    const { queue, tokens } = await seedElderlyMix(f, 10_000);
    // … and three Preferential ones (rank 1) just now.
    for (let i = 0; i < 3; i++) {
      const r = await call('POST', `${base}/tickets`, {
        token,
        body: { queueId: f.queues.G!.id, priorityId: f.priorities.Preferential!.id },
      });
      expect(r.status).toBe(201);
      queue.push({
        id: r.body.ticket.id,
        rank: 1,
        queuedAt: Date.parse(r.body.ticket.queuedAt),
        inserted: false,
      });
      tokens.set(r.body.ticket.id, r.body.ticket.publicToken);
    }

    /**
     * The ticket at a brute-force position: what its status page costs (the real handler), and
     * the position it shows — checked through the use case at a fixed instant, so that no
     * ticket ages a step between the brute force and the read.
     */
    const atPosition = async (position: number, label: string) => {
      const at = new Date();
      const t = [...queue].sort((a, b) => callOrder(a, b, at.getTime(), 15))[position - 1]!;
      const { cost } = await measure(
        `public status at position ${position.toLocaleString('en')} (${label})`,
        () => publicStatus(tokens.get(t.id)!),
        200,
      );
      const shown = await statusAt(publicTicketContext({ now: at }), { publicToken: tokens.get(t.id)! });
      const slack = positionSlack(queue, t, at.getTime(), 15);
      expect(bruteForcePosition(queue, t, at.getTime(), 15)).toBe(position);
      expect(
        Math.abs(shown.position! - position),
        `position ${shown.position} vs ${position} (slack ${slack})`,
      ).toBeLessThanOrEqual(slack);
      return cost;
    };

    const costs = [await atPosition(2, '3 ranks, aging'), await atPosition(10_000, '3 ranks, aging')];
    // Cancellations ahead of both: the head, and tickets here and there.
    const now = Date.now();
    const ordered = [...queue].sort((a, b) => callOrder(a, b, now, 15));
    for (const i of [0, 3, 40, 1_234, 5_000, 9_990]) {
      const id = ordered[i]!.id;
      expect((await call('POST', `${base}/tickets/${id}/cancel`, { token })).status).toBe(200);
      queue.splice(
        queue.findIndex((t) => t.id === id),
        1,
      );
    }
    costs.push(
      await atPosition(2, 'after cancellations'),
      await atPosition(10_000 - 6, 'after cancellations'),
    );

    for (const cost of costs) {
      expect(cost.requests).toBe(costs[0]!.requests);
      expect(cost.requests).toBeLessThanOrEqual(4);
      expect(cost.read).toBeLessThanOrEqual(5);
    }
    expect([...costs[0]!.commands].sort()).toEqual(['GetItem', 'GetItem', 'Query', 'UpdateItem']);
  });
});
