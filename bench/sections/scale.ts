import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { type Budget, fixed, kib, median, progress, saveSection, scaled, table } from '#bench/lib/common';
import { benchEnv } from '#bench/lib/dynamo';
import { invoke, prepare, request } from '#bench/lib/invoke';
import { agentContext, seedWaiting, TZ } from '#bench/lib/seed';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { counterDayKey } from '#core/adapters/dynamo/items/aggregate';
import { counterKey } from '#core/adapters/dynamo/items/counter';
import { addDays, businessDayOf, zonedInstant } from '#core/domain/business-day';
import { callNext } from '#core/usecases/tickets/call-next';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { applyTicketAction } from '#core/usecases/tickets/ticket-actions';
import { itemBytes, synthesizeAggregates } from '#tests/support/aggregates';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { measureDynamo } from '#tests/support/dynamo-metrics';
import { mintToken } from '#tests/support/tokens';

/**
 * Section 3 — scale. Call-next with 10, 1,000 and 10,000 tickets waiting in the counter's
 * queues (written straight into the table in enqueue's item shapes, see bench/lib/seed.ts):
 * DynamoDB requests, capacity and median latency of the real handler in process. Every measured
 * call is followed (unmeasured) by completing the called ticket and enqueueing a replacement in
 * its queue, so the waiting count and the candidate partitions stay the same; the three sizes are
 * measured in turn, round after round. Then a report over 10 vs 10,000 tickets.
 */

const SIZES = [10, 1_000, 10_000] as const;
const ROUNDS = scaled(30, 8);
const WARMUP = 3;
const RATIO_BUDGET = 1.2;

const SHAPE = {
  timezone: TZ,
  priorities: {
    Preferential: { rank: 1, targetWaitMinutes: 10 },
    Elderly: { rank: 2, targetWaitMinutes: 10 },
    General: { rank: 3, targetWaitMinutes: 20 },
  },
  queues: { P: { priority: 'Preferential' }, G: { priority: 'General' } },
  counters: { Desk: { queues: ['P', 'G'] } },
};

interface World {
  n: number;
  f: BranchFixture;
  token: string;
  base: string;
  desk: string;
}

async function main() {
  const started = Date.now();
  const { env, close } = await benchEnv();
  try {
    const tenantId = ulid();
    const token = await mintToken(env.signingKey, { tenantId, role: 'admin' });
    const worlds: World[] = [];
    for (const n of SIZES) {
      const f = await createBranchFixture({ ...SHAPE, tenantId });
      const t0 = performance.now();
      // A tenth in P (rank 1); the rest in G, every 10th of them with the Elderly priority (rank 2):
      // H = 3 candidate partitions (P#1, G#2, G#3) at every size.
      await seedWaiting(f, 'P', Math.max(1, n / 10));
      await seedWaiting(f, 'G', n - Math.max(1, n / 10), { individual: { priority: 'Elderly', every: 10 } });
      progress(
        `scale: seeded ${n.toLocaleString('en')} waiting tickets in ${fixed((performance.now() - t0) / 1000)} s`,
      );
      worlds.push({ n, f, token, base: `/v1/branches/${f.branchId}`, desk: f.counters.Desk! });
    }

    const results = new Map<
      number,
      Array<{ requests: number; capacity: number; read: number; write: number; ms: number; heads: number }>
    >();
    const one = async (w: World, record: boolean) => {
      const prepared = await prepare('POST', `${w.base}/counters/${w.desk}/call-next`, { token: w.token });
      const metrics = measureDynamo();
      let res: Awaited<ReturnType<typeof invoke>>;
      try {
        res = await invoke(prepared);
      } finally {
        metrics.stop();
      }
      if (res.status !== 200)
        throw new Error(`call-next with ${w.n} waiting: ${res.status} ${JSON.stringify(res.body)}`);
      if (record) {
        const c = metrics.capacity();
        const heads = metrics.log().filter((e) => e.targets.some((t) => t.endsWith('/waiting'))).length;
        results.set(w.n, [
          ...(results.get(w.n) ?? []),
          {
            requests: metrics.requests(),
            capacity: c.total,
            read: c.read,
            write: c.write,
            ms: res.ms,
            heads,
          },
        ]);
      }
      const ticket = res.body.ticket;
      await request('POST', `${w.base}/tickets/${ticket.id}/complete`, { token: w.token }, 200);
      const body: Record<string, string> = { queueId: ticket.queueId };
      if (ticket.priorityId !== w.f.queues[ticket.queueId === w.f.queues.P!.id ? 'P' : 'G']!.priorityId)
        body.priorityId = ticket.priorityId;
      await request('POST', `${w.base}/tickets`, { token: w.token, body }, 201);
    };
    for (let i = 0; i < WARMUP; i++) for (const w of worlds) await one(w, false);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const w of worlds) await one(w, true);
      if (round % 10 === 0 || round === ROUNDS) progress(`scale: call-next round ${round}/${ROUNDS}`);
    }

    // The items a claim transaction updates besides the ticket: their size sets its WRU.
    const sizes = new Map<number, { counterDay: number; counter: number }>();
    for (const w of worlds) {
      const day = businessDayOf(new Date(), TZ, 3);
      const get = async (key: { pk: string; sk: string }) =>
        (await dynamo().send(new GetCommand({ TableName: tableName(), Key: key }))).Item ?? {};
      sizes.set(w.n, {
        counterDay: itemBytes(await get(counterDayKey(tenantId, w.f.branchId, day, w.desk))),
        counter: itemBytes(await get(counterKey(tenantId, w.f.branchId, w.desk))),
      });
    }

    const summary = SIZES.map((n) => {
      const r = results.get(n)!;
      return {
        n,
        requests: median(r.map((x) => x.requests)),
        maxRequests: Math.max(...r.map((x) => x.requests)),
        heads: median(r.map((x) => x.heads)),
        capacity: median(r.map((x) => x.capacity)),
        read: median(r.map((x) => x.read)),
        write: median(r.map((x) => x.write)),
        ms: median(r.map((x) => x.ms)),
        p90: [...r.map((x) => x.ms)].sort((a, b) => a - b)[Math.floor(r.length * 0.9)]!,
        samples: r.length,
        writes: [Math.min(...r.map((x) => x.write)), Math.max(...r.map((x) => x.write))],
        ...sizes.get(n)!,
      };
    });
    const small = summary[0]!;
    const large = summary.at(-1)!;
    const ratio = {
      requests: large.requests / small.requests,
      capacity: large.capacity / small.capacity,
      ms: large.ms / small.ms,
    };

    // ---- report over 10 vs 10,000 tickets
    const today = businessDayOf(new Date(), TZ, 3);
    const days = [addDays(today, -3), addDays(today, -2)];
    const reportShape = {
      timezone: TZ,
      priorities: SHAPE.priorities,
      queues: { A: { priority: 'Preferential' }, B: { priority: 'General' }, C: { priority: 'General' } },
      counters: {
        'Desk 1': { queues: ['A'] },
        'Desk 2': { queues: ['A', 'B'] },
        'Desk 3': { queues: ['B', 'C'] },
      },
    };
    const agents = [ulid(), ulid()];
    const few = await createBranchFixture({ ...reportShape, tenantId });
    // 10 tickets through the real use cases with a controlled clock, 5 a day, every queue and counter.
    const queues = Object.values(few.queues);
    const counters = Object.values(few.counters);
    for (const day of days) {
      let t = zonedInstant(day, 9, TZ).getTime();
      const at = (minutes: number) => {
        t += minutes * 60_000;
        return new Date(t);
      };
      for (let i = 0; i < 5; i++) {
        const agent = agents[i % 2]!;
        const { ticket } = await enqueue(agentContext(few, agent, at(37)), {
          branchId: few.branchId,
          queueId: queues[i % 3]!.id,
        });
        const called = await callNext(agentContext(few, agent, at(3 + i)), {
          branchId: few.branchId,
          counterId: counters[i % 3]!,
        });
        if (called?.id !== ticket.id) throw new Error('report seed: unexpected call order');
        await applyTicketAction(agentContext(few, agent, at(4)), {
          branchId: few.branchId,
          ticketId: ticket.id,
          action: i === 4 ? 'no-show' : 'complete',
        });
      }
    }
    const mid = await createBranchFixture({ ...reportShape, tenantId });
    await synthesizeAggregates(mid, days, 500, agents);
    const many = await createBranchFixture({ ...reportShape, tenantId });
    const synth = await synthesizeAggregates(many, days, 5_000, agents);
    progress(
      `scale: report data written (10 tickets by the use cases; 1,000 and ${synth.issued.toLocaleString('en')} synthesized)`,
    );
    const reportCost = async (f: BranchFixture, groupBy: string) => {
      const prepared = await prepare('GET', `/v1/branches/${f.branchId}/report`, {
        token,
        query: { from: days[0]!, to: days[1]!, groupBy },
      });
      const metrics = measureDynamo();
      let res: Awaited<ReturnType<typeof invoke>>;
      try {
        res = await invoke(prepared);
      } finally {
        metrics.stop();
      }
      if (res.status !== 200) throw new Error(`report: ${res.status}`);
      return {
        requests: metrics.requests(),
        capacity: metrics.capacity().total,
        issued: res.body.totals.issued as number,
        ms: res.ms,
      };
    };
    const reportRows: Array<[string, string, number, number, number]> = [];
    const reportBudgetRows: Budget[] = [];
    for (const groupBy of ['day', 'queue']) {
      const a = await reportCost(few, groupBy);
      const m = await reportCost(mid, groupBy);
      const b = await reportCost(many, groupBy);
      reportRows.push([groupBy, '10', a.issued, a.requests, a.capacity]);
      reportRows.push([groupBy, '1,000', m.issued, m.requests, m.capacity]);
      reportRows.push([groupBy, '10,000', b.issued, b.requests, b.capacity]);
      reportBudgetRows.push({
        name: `Report over 10 vs 10,000 tickets (2 days, groupBy=${groupBy}): same requests`,
        target: 'equal',
        measured: `${a.requests} vs ${b.requests}`,
        pass: b.requests <= a.requests,
      });
      reportBudgetRows.push({
        name: `Report over 10 vs 10,000 tickets (groupBy=${groupBy}): capacity`,
        target: `ratio ≤ ${RATIO_BUDGET}`,
        measured: `${a.capacity} vs ${b.capacity} RRU (×${(b.capacity / a.capacity).toFixed(2)}); 1,000 vs 10,000: ${m.capacity} vs ${b.capacity} (×${(b.capacity / m.capacity).toFixed(2)})`,
        pass: b.capacity / a.capacity <= RATIO_BUDGET,
      });
    }

    const budgets: Budget[] = [
      {
        name: 'call-next requests, 10,000 : 10 waiting',
        target: `ratio ≤ ${RATIO_BUDGET}`,
        measured: `${large.requests} : ${small.requests} = ${ratio.requests.toFixed(2)}`,
        pass: ratio.requests <= RATIO_BUDGET,
      },
      {
        name: 'call-next capacity units, 10,000 : 10 waiting',
        target: `ratio ≤ ${RATIO_BUDGET}`,
        measured: `${large.capacity} : ${small.capacity} = ${ratio.capacity.toFixed(2)}`,
        pass: ratio.capacity <= RATIO_BUDGET,
      },
      {
        name: 'call-next median latency, 10,000 : 10 waiting (in process, DynamoDB Local)',
        target: 'reported',
        measured: `${fixed(large.ms)} : ${fixed(small.ms)} ms = ${ratio.ms.toFixed(2)}`,
        pass: null,
      },
      ...reportBudgetRows,
    ];

    const md: string[] = [];
    md.push(
      `Branch: queues P (rank 1) and G (rank 3, every 10th ticket with an individual rank-2 priority); one counter serving both, so call-next has H = 3 candidate heads at every size. ` +
        `Waiting tickets written with BatchWrite in the item shape enqueue writes (\`ticketToItem()\` of core/adapters/dynamo/items/ticket.ts, spread over the last hour), with the live waiting counts (\`A#QLIVE#…\` shard, \`w<rank>\`) and the number counter raised to match. ` +
        `${ROUNDS} measured call-next per size (after ${WARMUP} warm-up rounds), sizes taken in turn; each call is followed, unmeasured, by complete + an enqueue into the same queue, so the count stays at N.`,
    );
    md.push('');
    md.push(
      table(
        [
          'tickets waiting',
          'call-next requests (median / max)',
          'head reads',
          'capacity units',
          'RRU',
          'WRU (min–max)',
          'latency median ms',
          'p90 ms',
          'samples',
          'counter-day aggregate item at the end',
          'counter item',
        ],
        summary.map((s) => [
          s.n.toLocaleString('en'),
          `${s.requests} / ${s.maxRequests}`,
          s.heads,
          fixed(s.capacity),
          fixed(s.read),
          `${fixed(s.write)} (${s.writes[0]}–${s.writes[1]})`,
          fixed(s.ms, 2),
          fixed(s.p90, 2),
          s.samples,
          `${kib(s.counterDay)} KB`,
          `${kib(s.counter)} KB`,
        ]),
        'rrrrrrrrrrr',
      ),
    );
    md.push('');
    md.push(
      'Capacity does not follow the queue length. Reads: the branch setup Query plus one `Limit 1` head per candidate partition, whatever is behind the head. Writes: the claim transaction rewrites the ticket (×2 in a transaction, plus its index entries) and updates the counter, one queue live shard and the counter-day aggregate — whose size (it gains an attribute per hour, queue, priority, agent and wait bucket touched that day) sets most of the WRU and differs between the branches by what their calls touched, not by how many wait.',
    );
    md.push('');
    md.push(
      `Ratios 10,000 : 10 — requests **${ratio.requests.toFixed(2)}**, capacity **${ratio.capacity.toFixed(2)}**, median latency **${ratio.ms.toFixed(2)}** (budget ≤ ${RATIO_BUDGET} for requests and capacity).`,
    );
    md.push('');
    md.push(
      '#### Report over 10, 1,000 and 10,000 tickets (2 business days, 3 queues, 3 counters, 2 agents)',
    );
    md.push('');
    md.push(
      '10 tickets taken through the real use cases (enqueue → callNext → complete/no-show, controlled clock); 1,000 and 10,000 written as the aggregate items the ticket store leaves (bench/lib/seed.ts `synthesizeAggregates`).',
    );
    md.push('');
    md.push(table(['groupBy', 'tickets', 'issued (report)', 'requests', 'RRU'], reportRows, 'lrrrr'));
    md.push('');
    md.push(
      'Requests do not grow with tickets. Capacity grows from 10 to 1,000 tickets and then stops: a queue-day is spread over up to 8 shard items, and each item gains attributes (hours, priorities, agents, wait-histogram buckets) as more kinds of tickets touch it — bounded by days × groups, not by tickets (compare 1,000 vs 10,000).',
    );

    saveSection({
      id: 'scale',
      title: '3. Scale: call-next and reports vs queue length',
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      budgets,
      markdown: md.join('\n'),
      data: { summary, ratio, reportRows },
    });
    progress('scale: done');
  } finally {
    await close();
  }
}

await main();
