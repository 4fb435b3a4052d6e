import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoDayCloseStore } from '#core/adapters/dynamo/day-close-store';
import { aggregatePartition } from '#core/adapters/dynamo/items/aggregate';
import { queryAll } from '#core/adapters/dynamo/operations';
import { addDays, zonedInstant } from '#core/domain/business-day';
import { builtInRole } from '#core/domain/permissions';
import { GROUP_BYS } from '#core/domain/report';
import { callNext } from '#core/usecases/tickets/call-next';
import type { TicketContext } from '#core/usecases/tickets/context';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { applyTicketAction } from '#core/usecases/tickets/ticket-actions';
import { ticketContext } from '#functions/commons/context';
import { itemBytes, synthesizeAggregates } from '#tests/support/aggregates';
import { call } from '#tests/support/api';
import { type BranchFixture, createBranchFixture } from '#tests/support/branch-fixture';
import { type DynamoMeasurement, measureDynamo } from '#tests/support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '#tests/support/env';
import { mintToken } from '#tests/support/tokens';

/**
 * A report's cost grows with days × groups, never with tickets (docs/rules.md#reports). The
 * DynamoDB requests of every groupBy are counted with a middleware on `dynamo()`'s stack
 * (tests/support/ dynamo-metrics.ts) for a branch with 10 tickets (a real flow through the use
 * cases) and one with 10,000 tickets' worth of figures over the same days, queues, counters and
 * agents; the latter are computed by the real pure changes (issueChange, callChange,
 * actionChange, expireChange) and written as the aggregate items the ticket store would have left
 * behind. The 10,000-ticket report must not need more requests than the 10-ticket one.
 */

const TZ = 'Europe/Madrid';
const DAYS = ['2026-06-01', '2026-06-02'];
const SHAPE = {
  priorities: {
    Urgent: { rank: 1, targetWaitMinutes: 5 },
    Normal: { rank: 3, targetWaitMinutes: 15 },
    Later: { rank: 5, targetWaitMinutes: 30 },
  },
  queues: { A: { priority: 'Urgent' }, B: { priority: 'Normal' }, C: { priority: 'Later' } },
  counters: {
    'Desk 1': { queues: ['A'] },
    'Desk 2': { queues: ['A', 'B'] },
    'Desk 3': { queues: ['B', 'C'] },
  },
};

let env: TestEnv;
let metrics: DynamoMeasurement;
const agents = [ulid(), ulid()];

beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(() => metrics?.stop());

/** Every aggregate item of a branch (the test table is small). */
const aggregatesOf = (f: BranchFixture) =>
  queryAll({
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': aggregatePartition(f.tenantId, f.branchId) },
  });

/** Requests (and capacity) of one report, through the whole HTTP chain. */
async function measureReport(token: string, branchId: string, query: Record<string, string>) {
  metrics.reset();
  const res = await call('GET', `/v1/branches/${branchId}/report`, { token, query });
  expect(res.status, res.text).toBe(200);
  return { res, requests: metrics.requests(), byCommand: metrics.byCommand(), capacity: metrics.capacity() };
}

describe('report cost', () => {
  let small: BranchFixture;
  let large: BranchFixture;
  let token: string;

  beforeAll(async () => {
    small = await createBranchFixture({ timezone: TZ, ...SHAPE });
    large = await createBranchFixture({ tenantId: small.tenantId, timezone: TZ, ...SHAPE });
    token = await mintToken(env.signingKey, { tenantId: small.tenantId, role: 'manager' });

    // 10 tickets through the real use cases, 5 a day, over both days, queues, counters and agents.
    const ctx = (now: Date, agent: string): TicketContext =>
      ticketContext({
        actor: {
          tenantId: small.tenantId,
          userId: agent,
          roleId: 'agent',
          permissions: builtInRole('agent')!.permissions,
          branches: ['*'],
        },
        now,
      });
    const queues = Object.values(small.queues);
    const counters = Object.values(small.counters);
    for (const day of DAYS) {
      let t = zonedInstant(day, 9, TZ).getTime();
      for (let i = 0; i < 5; i++) {
        const agent = agents[i % 2]!;
        const step = (minutes: number) => {
          t += minutes * 60_000;
          return new Date(t);
        };
        const { ticket } = await enqueue(ctx(step(37), agent), {
          branchId: small.branchId,
          queueId: queues[i % 3]!.id,
        });
        // A → Desk 1, B → Desk 2, C → Desk 3: each has that queue among its own.
        const counter = counters[i % 3]!;
        const called = await callNext(ctx(step(3 + i), agent), {
          branchId: small.branchId,
          counterId: counter,
        });
        expect(called?.id).toBe(ticket.id);
        await applyTicketAction(ctx(step(4), agent), {
          branchId: small.branchId,
          ticketId: ticket.id,
          action: i === 4 ? 'no-show' : 'complete',
        });
      }
    }
    const { issued } = await synthesizeAggregates(large, DAYS, 5_000, agents);
    expect(issued).toBe(10_000);
    metrics = measureDynamo();
  });

  it('needs no more DynamoDB requests for 10,000 tickets than for 10, for every groupBy', async () => {
    const query = { from: DAYS[0]!, to: DAYS[1]! };
    const rows: string[] = [];
    for (const groupBy of GROUP_BYS) {
      const few = await measureReport(token, small.branchId, { ...query, groupBy });
      const many = await measureReport(token, large.branchId, { ...query, groupBy });
      expect(few.res.body.totals.issued).toBe(10);
      expect(many.res.body.totals.issued).toBe(10_000);
      // One page of aggregates and the branch: queue and counter names come with the branch
      // (one Query of its partition), priority and agent names take a Query of their own.
      const inBranch = groupBy === 'queue' || groupBy === 'counter';
      const elsewhere = groupBy === 'priority' || groupBy === 'agent';
      expect(few.requests, groupBy).toBe(elsewhere ? 3 : 2);
      expect(few.byCommand, groupBy).toEqual(
        inBranch
          ? { Query: expect.objectContaining({ requests: 2 }) }
          : {
              GetItem: expect.objectContaining({ requests: 1 }),
              Query: expect.objectContaining({ requests: elsewhere ? 2 : 1 }),
            },
      );
      expect(many.requests, `${groupBy}: 10,000 tickets vs 10`).toBeLessThanOrEqual(few.requests);
      rows.push(
        `${groupBy}: ${few.requests} vs ${many.requests} requests, ${few.capacity.total} vs ${many.capacity.total} RRU`,
      );
    }
    console.info(`report requests, 10 vs 10,000 tickets over ${DAYS.length} days:\n  ${rows.join('\n  ')}`);
  });

  it('measures a 31-day report grouped by queue (requests, capacity, item sizes)', async () => {
    const month = Array.from({ length: 31 }, (_, i) => addDays('2026-07-01', i));
    const shapes: Array<[string, Parameters<typeof createBranchFixture>[0], number, number]> = [
      ['3 queues, 3 counters, 2 agents, 300 tickets/day', { timezone: TZ, ...SHAPE }, 300, 2],
      [
        '8 queues, 10 counters, 15 agents, 600 tickets/day',
        {
          timezone: TZ,
          priorities: SHAPE.priorities,
          queues: Object.fromEntries(
            'ABCDEFGH'.split('').map((p, i) => [p, { priority: ['Urgent', 'Normal', 'Later'][i % 3]! }]),
          ),
          counters: Object.fromEntries(
            Array.from({ length: 10 }, (_, i) => [
              `Desk ${i + 1}`,
              { queues: ['ABCDEFGH'[i % 8]!, 'ABCDEFGH'[(i + 3) % 8]!] },
            ]),
          ),
        },
        600,
        15,
      ],
    ];
    const lines: string[] = [];
    for (const [name, shape, perDay, agentCount] of shapes) {
      const f = await createBranchFixture({ tenantId: small.tenantId, ...shape });
      const staff = Array.from({ length: agentCount }, () => ulid());
      const { items } = await synthesizeAggregates(f, month, perDay, staff, 7);
      const { res, requests, byCommand, capacity } = await measureReport(token, f.branchId, {
        from: month[0]!,
        to: month.at(-1)!,
        groupBy: 'queue',
      });
      expect(res.body.totals.issued).toBe(31 * perDay);
      expect(res.body.groups).toHaveLength(Object.keys(shape.queues ?? {}).length);
      // Items read, and what DynamoDB would charge for them (eventually consistent: 0.5 RRU per 4 KB).
      const sizes = (await aggregatesOf(f)).map(itemBytes);
      const bytes = sizes.reduce((s, b) => s + b, 0);
      expect(byCommand.Query!.requests).toBeGreaterThanOrEqual(2); // aggregates (≥ 1 page) + names
      const describe = (m: Awaited<ReturnType<typeof measureReport>>) =>
        `${m.requests} requests (${Object.entries(m.byCommand)
          .map(([c, r]) => `${r.requests} ${c}`)
          .join(
            ', ',
          )}), reported ${m.capacity.total} RRU${m.capacity.unreported ? ` (${m.capacity.unreported} unreported)` : ''}`;
      lines.push(
        `${name}: ${items} aggregate items, ${(bytes / 1024).toFixed(0)} KB (largest ${(Math.max(...sizes) / 1024).toFixed(1)} KB); ` +
          `${describe({ res, requests, byCommand, capacity })}; from item sizes ≈ ${Math.ceil(bytes / 4096) / 2} RRU for the aggregates`,
      );

      // After the day close has rolled every day up into one item, the same report reads 31 items.
      await dynamoDayCloseStore.rollUpDays(f.tenantId, f.branchId, month[0]!, month.at(-1)!);
      const rollups = await aggregatesOf(f);
      const closed = await measureReport(token, f.branchId, {
        from: month[0]!,
        to: month.at(-1)!,
        groupBy: 'queue',
      });
      expect(closed.res.body).toEqual(res.body);
      const rollupBytes = rollups.map(itemBytes);
      lines.push(
        `  the same after day rollups: ${rollups.length} items, ${(rollupBytes.reduce((a, b) => a + b, 0) / 1024).toFixed(0)} KB ` +
          `(largest ${(Math.max(...rollupBytes) / 1024).toFixed(1)} KB); ${describe(closed)}`,
      );
    }
    console.info(`31-day report grouped by queue:\n  ${lines.join('\n  ')}`);
  });
});
