import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { statAttributes, statKey } from '#core/adapters/dynamo/items/aggregate';
import { dynamoSetupStore } from '#core/adapters/dynamo/setup-store';
import type { Actor } from '#core/domain/actor';
import { localHourOf, zonedInstant } from '#core/domain/business-day';
import type { Counter } from '#core/domain/setup';
import { waitingTicket } from '#core/domain/ticket';
import {
  actionChange,
  callChange,
  expireChange,
  issueChange,
  type StatWrite,
  type TicketChange,
} from '#core/domain/ticket-changes';
import type { BranchFixture } from './branch-fixture';

/**
 * Report aggregates in bulk, for the report-cost test and `npm run bench`: days of tickets taken
 * through the real pure changes and written as the aggregate items the ticket store would have
 * left behind — without writing a single ticket.
 */

/** Deterministic pseudo-random numbers (mulberry32). */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** BatchWrite of puts, 25 per request, `parallel` requests in flight, unprocessed items retried. */
export async function batchPut(items: Record<string, unknown>[], parallel = 4): Promise<void> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++]!;
      let request: Record<string, any> | undefined = {
        [tableName()]: chunk.map((Item) => ({ PutRequest: { Item } })),
      };
      while (request && Object.keys(request).length > 0) {
        const out: { UnprocessedItems?: Record<string, any> } = await dynamo().send(
          new BatchWriteCommand({ RequestItems: request }),
        );
        request = out.UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}

/**
 * Report aggregates as the ticket store leaves them (core/adapters/dynamo/ticket-store.ts
 * `transactItems`): every StatWrite of a change ADDs its figures (and bumps `v`) on its
 * counter-day item or on a random one of the 8 shards of its queue-day item, and SETs its maxima.
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
    const key = statKey(this.tenantId, this.branchId, stat, this.rnd);
    const item = this.items.get(key.sk) ?? { ...key, v: 0 };
    for (const [name, amount] of Object.entries(statAttributes(stat.add)))
      item[name] = ((item[name] as number) ?? 0) + amount;
    for (const [name, value] of Object.entries(statAttributes(stat.set ?? {}))) item[name] = value;
    item.v = (item.v as number) + 1;
    this.items.set(key.sk, item);
  }
}

/**
 * `perDay` tickets a day through their whole life, each change computed by the real pure
 * functions (issueChange, callChange, actionChange, expireChange of core/domain/ticket-changes)
 * and written as the aggregate items the ticket store would have left: issued 08:00–20:00,
 * 80 % completed, some no-shows, cancellations and expiries; waits of seconds to an hour.
 */
export async function synthesizeAggregates(
  f: BranchFixture,
  days: readonly string[],
  perDay: number,
  agentIds: readonly string[],
  seed = 7,
  timezone = 'Europe/Madrid',
): Promise<{ issued: number; items: number }> {
  const rnd = random(seed);
  const out = new AggregateItems(f.tenantId, f.branchId, rnd);
  const setup = await dynamoSetupStore.load(f.tenantId, f.branchId);
  const counters = new Map<string, Counter>(setup.counters.map((c) => [c.id, { ...c }]));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  let issued = 0;
  for (const day of days) {
    const opening = zonedInstant(day, 8, timezone).getTime();
    for (let i = 0; i < perDay; i++) {
      const queue = pick(setup.queues);
      const created = new Date(opening + Math.floor(rnd() * 12 * 3600) * 1000);
      const id = `${day}-${i}`;
      const ticket = waitingTicket({
        id,
        branchId: f.branchId,
        queueId: queue.id,
        priorityId: queue.priorityId,
        prefix: queue.prefix,
        number: i + 1,
        entry: i + 1,
        businessDay: day,
        createdAt: created.toISOString(),
        publicToken: id,
        rank: queue.priorityRank,
        targetWaitMinutes: queue.targetWaitMinutes,
        individualPriority: false,
        closeEpoch: 0,
        hour: localHourOf(created, timezone),
      });
      out.apply(issueChange(ticket));
      issued++;
      const fate = rnd();
      const later = (seconds: number) => new Date(created.getTime() + seconds * 1000);
      if (fate < 0.05) {
        out.apply(actionChange(ticket, 'cancel', undefined, later(60 + rnd() * 600), 24));
        continue;
      }
      if (fate < 0.08) {
        out.apply(expireChange(ticket, later(14 * 3600), 24));
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
      out.apply(
        end < 0.8
          ? actionChange(called.ticket, 'complete', counter, later(wait + service), 24)
          : end < 0.95
            ? actionChange(called.ticket, 'no-show', counter, later(wait + 120), 24)
            : end < 0.98
              ? actionChange(called.ticket, 'cancel', counter, later(wait + 30), 24)
              : expireChange(called.ticket, later(14 * 3600), 24),
      );
    }
  }
  await batchPut([...out.items.values()]);
  return { issued, items: out.items.size };
}

/** DynamoDB's size of an item: attribute names plus values (numbers ≈ 1 byte per 2 digits + 1). */
export function itemBytes(item: Record<string, unknown>): number {
  let bytes = 0;
  const value = (v: unknown): number => {
    if (typeof v === 'string') return Buffer.byteLength(v);
    if (typeof v === 'number') return Math.ceil(String(Math.abs(v)).replace('.', '').length / 2) + 1;
    if (typeof v === 'boolean' || v === null || v === undefined) return 1;
    if (Array.isArray(v)) return 3 + v.reduce((s: number, x) => s + 1 + value(x), 0);
    if (typeof v === 'object')
      return (
        3 + Object.entries(v as object).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + value(x), 0)
      );
    return 0;
  };
  for (const [name, v] of Object.entries(item)) bytes += Buffer.byteLength(name) + value(v);
  return bytes;
}
