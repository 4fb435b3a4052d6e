import { ulid } from 'ulid';
import {
  type Budget,
  fixed,
  median,
  progress,
  quantile,
  saveSection,
  scaled,
  table,
} from '#bench/lib/common';
import { benchEnv } from '#bench/lib/dynamo';
import { invoke, prepare, request } from '#bench/lib/invoke';
import { TZ } from '#bench/lib/seed';
import { publicStatus } from '#core/usecases/tickets/public-status';
import { publicTicketContext } from '#functions/commons/context';
import { createBranchFixture } from '#tests/support/branch-fixture';
import { bruteForcePosition, callOrder, positionSlack } from '#tests/support/brute-force-positions';
import { measured } from '#tests/support/dynamo-metrics';
import { mintToken } from '#tests/support/tokens';
import { seedElderlyMix } from '#tests/support/waiting-seed';

/**
 * Section "status" — the customer's status page (`GET /v1/public/tickets/{publicToken}`, no
 * auth, polled every few seconds) at positions 10, 1,000 and 10,000 of one queue: 10,000
 * tickets waiting over the last two hours in three ranks (General; every 10th with an
 * individual Elderly priority; a few Preferential ones on top), aging 15 minutes. DynamoDB
 * requests, items read, capacity and latency of the real handler in process, the three
 * positions taken in turn round after round; and each position shown against a brute-force
 * count at the same instant.
 */

const POSITIONS = [10, 1_000, 10_000] as const;
const WAITING = 10_000;
const ROUNDS = scaled(40, 8);
const WARMUP = 3;
const AGING = 15;
const BUDGET = { requests: 4, rru: 5 };
/** What the same page cost before positions were computed without counting (docs/performance.md). */
const BEFORE_AT_10_000 = '14 requests, 10,012 items, 1,294 RRU, 1.4–8 s';

async function main() {
  const started = Date.now();
  const { env, close } = await benchEnv();
  try {
    const f = await createBranchFixture({
      tenantId: ulid(),
      timezone: TZ,
      agingMinutes: AGING,
      priorities: { Preferential: { rank: 1 }, Elderly: { rank: 2 }, General: { rank: 3 } },
      queues: { G: { priority: 'General' } },
    });
    const token = await mintToken(env.signingKey, { tenantId: f.tenantId, role: 'admin' });
    const t0 = performance.now();
    const { queue, tokens } = await seedElderlyMix(f, WAITING - 5);
    for (let i = 0; i < 5; i++) {
      const { body } = await request(
        'POST',
        `/v1/branches/${f.branchId}/tickets`,
        { token, body: { queueId: f.queues.G!.id, priorityId: f.priorities.Preferential!.id } },
        201,
      );
      queue.push({
        id: body.ticket.id,
        rank: 1,
        queuedAt: Date.parse(body.ticket.queuedAt),
        inserted: false,
      });
      tokens.set(body.ticket.id, body.ticket.publicToken);
    }
    progress(
      `status: ${WAITING.toLocaleString('en')} tickets waiting, seeded in ${fixed((performance.now() - t0) / 1000)} s`,
    );

    const at = new Date();
    const ordered = [...queue].sort((a, b) => callOrder(a, b, at.getTime(), AGING));
    const targets = POSITIONS.map((position) => ({ position, ticket: ordered[position - 1]! }));
    // The position each page shows, through the use case at the instant of the brute force.
    const shown = await Promise.all(
      targets.map(async ({ position, ticket }) => {
        const status = await publicStatus(publicTicketContext({ now: at }), {
          publicToken: tokens.get(ticket.id)!,
        });
        return {
          position,
          shown: status.position,
          bruteForce: bruteForcePosition(queue, ticket, at.getTime(), AGING),
          slack: positionSlack(queue, ticket, at.getTime(), AGING),
        };
      }),
    );

    let ip = 0;
    const samples = new Map<
      number,
      Array<{ requests: number; items: number; rru: number; wru: number; ms: number }>
    >();
    const one = async (position: number, ticketId: string, record: boolean) => {
      const prepared = await prepare('GET', `/v1/public/tickets/${tokens.get(ticketId)}`, {
        sourceIp: `203.0.113.${(ip++ % 250) + 1}`,
      });
      const { result: res, metrics } = await measured(() => invoke(prepared));
      if (res.status !== 200)
        throw new Error(`status at ${position}: ${res.status} ${JSON.stringify(res.body)}`);
      if (!record) return;
      const c = metrics.capacity();
      samples.set(position, [
        ...(samples.get(position) ?? []),
        { requests: metrics.requests(), items: metrics.items(), rru: c.read, wru: c.write, ms: res.ms },
      ]);
    };
    for (let i = 0; i < WARMUP; i++) for (const t of targets) await one(t.position, t.ticket.id, false);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of targets) await one(t.position, t.ticket.id, true);
      if (round % 10 === 0 || round === ROUNDS) progress(`status: round ${round}/${ROUNDS}`);
    }

    const summary = POSITIONS.map((position) => {
      const r = samples.get(position)!;
      return {
        requests: Math.max(...r.map((x) => x.requests)),
        items: Math.max(...r.map((x) => x.items)),
        rru: Math.max(...r.map((x) => x.rru)),
        wru: Math.max(...r.map((x) => x.wru)),
        ms: median(r.map((x) => x.ms)),
        p90: quantile(
          r.map((x) => x.ms),
          0.9,
        ),
        samples: r.length,
        ...shown.find((s) => s.position === position)!,
      };
    });
    const near = summary[0]!;
    const far = summary.at(-1)!;

    const budgets: Budget[] = [
      {
        name: 'public status requests at position 10,000 (and 10, 1,000)',
        target: `≤ ${BUDGET.requests}, the same at every position`,
        measured: summary.map((s) => s.requests).join(' / '),
        pass: summary.every((s) => s.requests <= BUDGET.requests && s.requests === near.requests),
      },
      {
        name: 'public status RRU at position 10,000 (and 10, 1,000)',
        target: `≤ ${BUDGET.rru}, the same at every position`,
        measured: summary.map((s) => fixed(s.rru)).join(' / '),
        pass: summary.every((s) => s.rru <= BUDGET.rru && s.rru === near.rru),
      },
      {
        name: 'public status median latency, position 10,000 : 10 (in process, DynamoDB Local)',
        target: 'reported',
        measured: `${fixed(far.ms, 2)} : ${fixed(near.ms, 2)} ms`,
        pass: null,
      },
      {
        name: 'position shown vs brute-force count (10 / 1,000 / 10,000)',
        target: 'equal, or within the documented slack',
        measured: summary.map((s) => `${s.shown} vs ${s.bruteForce} (slack ${s.slack})`).join('; '),
        pass: summary.every((s) => Math.abs((s.shown ?? 0) - s.bruteForce) <= s.slack),
      },
    ];

    const md: string[] = [];
    md.push(
      `One queue with ${WAITING.toLocaleString('en')} tickets waiting, issued over the last two hours (written in enqueue's item shapes and numbered by its pure steps, tests/support/waiting-seed.ts): General (rank 3), every 10th with an individual Elderly priority (rank 2), and 5 Preferential (rank 1) issued through the API; aging every ${AGING} minutes, so other ranks' lines are cut by aging around the older tickets. ` +
        `The status page of the tickets at positions ${POSITIONS.map((p) => p.toLocaleString('en')).join(', ')} (by brute force), through the real handler in process (rate window, ticket, branch read), ${ROUNDS} rounds after ${WARMUP} warm-up rounds, the positions taken in turn.`,
    );
    md.push('');
    md.push(
      table(
        [
          'position',
          'requests',
          'items read',
          'RRU',
          'WRU (rate window)',
          'latency median ms',
          'p90 ms',
          'position shown',
          'brute force',
          'samples',
        ],
        summary.map((s) => [
          s.position.toLocaleString('en'),
          s.requests,
          s.items,
          fixed(s.rru),
          fixed(s.wru),
          fixed(s.ms, 2),
          fixed(s.p90, 2),
          s.shown ?? '–',
          s.slack ? `${s.bruteForce} (± ${s.slack})` : s.bruteForce,
          s.samples,
        ]),
        'rrrrrrrrrr',
      ),
    );
    md.push('');
    md.push(
      `The position is arithmetic over the branch read (docs/data-model.md, "Positions without counting"): the same three requests and the same items at every position. Before, the page counted the tickets ahead: at position 10,000 it cost ${BEFORE_AT_10_000}.`,
    );

    saveSection({
      id: 'status',
      title: '6. Public status vs position',
      startedAt: new Date(started).toISOString(),
      seconds: (Date.now() - started) / 1000,
      budgets,
      markdown: md.join('\n'),
      data: { summary },
    });
    progress('status: done');
  } finally {
    await close();
  }
}

await main();
