import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBranchSetup } from '../../core/adapters/dynamo/branch-setup';
import { dynamo, tableName } from '../../core/adapters/dynamo/client';
import {
  AGGREGATE_SHARDS,
  aggregatePartition,
  counterDayKey,
  queueDayKey,
} from '../../core/adapters/dynamo/items/aggregate';
import { dynamoTicketStore } from '../../core/adapters/dynamo/ticket-store';
import type { Actor } from '../../core/domain/actor';
import { addDays, localHourOf, zonedInstant } from '../../core/domain/business-day';
import { builtInRole } from '../../core/domain/permissions';
import { GROUP_BYS } from '../../core/domain/report';
import type { Counter } from '../../core/domain/setup';
import type { TicketRecord } from '../../core/domain/ticket';
import {
  actionChange,
  callChange,
  expireChange,
  issueChange,
  type StatWrite,
  type TicketChange,
} from '../../core/domain/ticket-changes';
import { callNext } from '../../core/usecases/tickets/call-next';
import type { TicketContext } from '../../core/usecases/tickets/context';
import { enqueue } from '../../core/usecases/tickets/enqueue';
import { applyTicketAction } from '../../core/usecases/tickets/ticket-actions';
import { call } from '../support/api';
import { type BranchFixture, createBranchFixture } from '../support/branch-fixture';
import { type DynamoMeasurement, measureDynamo } from '../support/dynamo-metrics';
import { createTestEnv, type TestEnv } from '../support/env';
import { mintToken } from '../support/tokens';

/**
 * A report's cost grows with days × groups, never with tickets (SPEC §7). The DynamoDB requests
 * of every groupBy are counted with a middleware on `dynamo()`'s stack (tests/support/
 * dynamo-metrics.ts) for a branch with 10 tickets (a real flow through the use cases) and one
 * with 10,000 tickets' worth of figures over the same days, queues, counters and agents; the
 * latter are computed by the real pure changes (issueChange, callChange, actionChange,
 * expireChange) and written as the aggregate items the ticket store would have left behind.
 * The 10,000-ticket report must not need more requests than the 10-ticket one.
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

/** Deterministic pseudo-random numbers (mulberry32), so the figures are the same every run. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Aggregate items as the ticket store leaves them: every StatWrite ADDs its `add` figures and
 * SETs its `set` maxima on the item of its scope (counter-day, or a random shard of the
 * queue-day), and bumps the item's version `v`.
 */
class AggregateItems {
  readonly items = new Map<string, Record<string, unknown>>();
  constructor(
    private readonly tenantId: string,
    private readonly branchId: string,
    private readonly rnd: () => number,
  ) {}
  apply(change: TicketChange) {
    for (const stat of change.stats) this.write(stat);
  }
  private write(stat: StatWrite) {
    const key =
      stat.scope.kind === 'counter'
        ? counterDayKey(this.tenantId, this.branchId, stat.day, stat.scope.counterId)
        : queueDayKey(
            this.tenantId,
            this.branchId,
            stat.day,
            stat.scope.queueId,
            Math.floor(this.rnd() * AGGREGATE_SHARDS),
          );
    const item = this.items.get(key.sk) ?? { ...key, v: 0 };
    for (const [name, amount] of Object.entries(stat.add))
      item[name] = ((item[name] as number) ?? 0) + amount;
    for (const [name, value] of Object.entries(stat.set ?? {})) item[name] = value;
    item.v = (item.v as number) + 1;
    this.items.set(key.sk, item);
  }
  async save() {
    const all = [...this.items.values()];
    for (let i = 0; i < all.length; i += 25) {
      let request: Record<string, any> | undefined = {
        [tableName()]: all.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
      };
      while (request && Object.keys(request).length > 0) {
        const written: { UnprocessedItems?: Record<string, any> } = await dynamo().send(
          new BatchWriteCommand({ RequestItems: request }),
        );
        request = written.UnprocessedItems;
      }
    }
  }
}

/**
 * `perDay` tickets per day through their whole life, computed with the real pure changes:
 * issued between 08:00 and 20:00, most called by a counter of their queue (waits of seconds
 * to an hour), then done, no-show, cancelled or expired; some cancelled while waiting.
 */
async function synthesize(f: BranchFixture, days: string[], perDay: number, agentIds: string[], seed = 1) {
  const rnd = random(seed);
  const out = new AggregateItems(f.tenantId, f.branchId, rnd);
  const setup = await loadBranchSetup(f.tenantId, f.branchId);
  const counters = new Map<string, Counter>(setup.counters.map((c) => [c.id, { ...c }]));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  let issuedCount = 0;
  for (const day of days) {
    const opening = zonedInstant(day, 8, TZ).getTime();
    for (let i = 0; i < perDay; i++) {
      const queue = pick(setup.queues);
      const created = new Date(opening + Math.floor(rnd() * 12 * 3600) * 1000);
      const id = `${day}-${i}`; // ids play no part in the figures (and ulid() is slow in bulk)
      const ticket: TicketRecord = {
        id,
        branchId: f.branchId,
        queueId: queue.id,
        priorityId: queue.priorityId,
        number: i + 1,
        code: `${queue.prefix}-${i + 1}`,
        businessDay: day,
        status: 'waiting',
        customer: null,
        note: null,
        createdAt: created.toISOString(),
        queuedAt: created.toISOString(),
        calledAt: null,
        startedAt: null,
        endedAt: null,
        counterId: null,
        servedBy: null,
        recalls: 0,
        transfers: [],
        publicToken: id,
        updatedAt: created.toISOString(),
        rank: queue.priorityRank,
        targetWaitMinutes: queue.targetWaitMinutes,
        individualPriority: false,
        closeEpoch: 0,
        issuedQueueId: queue.id,
        issuedPriorityId: queue.priorityId,
        hour: localHourOf(created, TZ),
        firstCall: null,
        rev: 0,
      };
      out.apply(issueChange(ticket, null));
      issuedCount++;
      const fate = rnd();
      const later = (seconds: number) => new Date(created.getTime() + seconds * 1000);
      if (fate < 0.05) {
        out.apply(actionChange(ticket, 'cancel', undefined, later(60 + rnd() * 600)));
        continue;
      }
      if (fate < 0.08) {
        out.apply(expireChange(ticket, later(14 * 3600)));
        continue;
      }
      const serving = setup.counters.filter((c) => c.queueIds.includes(queue.id));
      const counter = counters.get(pick(serving).id)!;
      const agent: Actor = {
        tenantId: f.tenantId,
        userId: pick(agentIds),
        roleId: 'agent',
        permissions: [],
        branches: ['*'],
      };
      const wait = Math.floor(rnd() ** 2 * 3600);
      const called = callChange(ticket, counter, agent, later(wait));
      out.apply(called);
      counters.set(counter.id, {
        ...counter,
        waitMax: called.counter!.waitMax!,
        revision: counter.revision + 1,
      });
      const service = 60 + Math.floor(rnd() * 900);
      const end = rnd();
      const next =
        end < 0.8
          ? actionChange(called.ticket, 'complete', counter, later(wait + service))
          : end < 0.95
            ? actionChange(called.ticket, 'no-show', counter, later(wait + 120))
            : end < 0.98
              ? actionChange(called.ticket, 'cancel', counter, later(wait + 30))
              : expireChange(called.ticket, later(14 * 3600));
      out.apply(next);
    }
  }
  await out.save();
  return { issued: issuedCount, items: out.items.size };
}

/** Replaces each day's items by one rollup `<day>#R#<id>` (counters summed, maxima maximised), as the day close does. */
async function rollUp(f: BranchFixture, items: Record<string, unknown>[]) {
  const pk = aggregatePartition(f.tenantId, f.branchId);
  const byDay = new Map<string, Record<string, unknown>>();
  for (const item of items) {
    const day = (item.sk as string).slice(0, 10);
    const merged = byDay.get(day) ?? { pk, sk: `${day}#R#${ulid()}`, v: 1 };
    for (const [name, value] of Object.entries(item)) {
      if (!name.includes('|') || typeof value !== 'number') continue;
      const known = merged[name] as number | undefined;
      merged[name] = name.startsWith('wMax|') ? Math.max(known ?? 0, value) : (known ?? 0) + value;
    }
    byDay.set(day, merged);
  }
  const writes = [
    ...items.map((i) => ({ DeleteRequest: { Key: { pk, sk: i.sk } } })),
    ...[...byDay.values()].map((Item) => ({ PutRequest: { Item } })),
  ];
  for (let i = 0; i < writes.length; i += 25) {
    let request: Record<string, any> | undefined = { [tableName()]: writes.slice(i, i + 25) };
    while (request && Object.keys(request).length > 0) {
      const written: { UnprocessedItems?: Record<string, any> } = await dynamo().send(
        new BatchWriteCommand({ RequestItems: request }),
      );
      request = written.UnprocessedItems;
    }
  }
  return [...byDay.values()];
}

/** Requests (and capacity) of one report, through the whole HTTP chain. */
async function measureReport(token: string, branchId: string, query: Record<string, string>) {
  metrics.reset();
  const res = await call('GET', `/v1/branches/${branchId}/report`, { token, query });
  expect(res.status, res.text).toBe(200);
  return { res, requests: metrics.requests(), byCommand: metrics.byCommand(), capacity: metrics.capacity() };
}

/** DynamoDB's size of an item: attribute names plus values (numbers ≈ 1 byte per 2 digits + 1). */
function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) {
    bytes += Buffer.byteLength(name);
    if (typeof value === 'string') bytes += Buffer.byteLength(value);
    else if (typeof value === 'number')
      bytes += Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  }
  return bytes;
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
    const ctx = (now: Date, agent: string): TicketContext => ({
      actor: {
        tenantId: small.tenantId,
        userId: agent,
        roleId: 'agent',
        permissions: builtInRole('agent')!.permissions,
        branches: ['*'],
      },
      now,
      store: dynamoTicketStore,
      loadSetup: loadBranchSetup,
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
        const called = await callNext(ctx(step(3 + i), agent), small.branchId, counter);
        expect(called?.id).toBe(ticket.id);
        await applyTicketAction(
          ctx(step(4), agent),
          small.branchId,
          ticket.id,
          i === 4 ? 'no-show' : 'complete',
        );
      }
    }
    const { issued } = await synthesize(large, DAYS, 5_000, agents);
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
      const { items } = await synthesize(f, month, perDay, staff, 7);
      const { res, requests, byCommand, capacity } = await measureReport(token, f.branchId, {
        from: month[0]!,
        to: month.at(-1)!,
        groupBy: 'queue',
      });
      expect(res.body.totals.issued).toBe(31 * perDay);
      expect(res.body.groups).toHaveLength(Object.keys(shape.queues ?? {}).length);
      // Items read, and what DynamoDB would charge for them (eventually consistent: 0.5 RRU per 4 KB).
      const Items: Record<string, unknown>[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await dynamo().send(
          new QueryCommand({
            TableName: tableName(),
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': aggregatePartition(f.tenantId, f.branchId) },
            ExclusiveStartKey: startKey,
          }),
        );
        Items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      const sizes = Items.map(itemBytes);
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
      const rollups = await rollUp(f, Items);
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
