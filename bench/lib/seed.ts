import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { loadBranchSetup } from '../../core/adapters/dynamo/branch-setup';
import { dynamo, tableName } from '../../core/adapters/dynamo/client';
import { AGGREGATE_SHARDS, counterDayKey, queueDayKey } from '../../core/adapters/dynamo/items/aggregate';
import { queueLiveKey, sequenceKey, waitingAttribute } from '../../core/adapters/dynamo/items/queue';
import { ticketToItem } from '../../core/adapters/dynamo/items/ticket';
import { dynamoTenantStore } from '../../core/adapters/dynamo/tenant-store';
import { dynamoTicketStore } from '../../core/adapters/dynamo/ticket-store';
import type { Actor } from '../../core/domain/actor';
import { businessDayOf, localHourOf, zonedInstant } from '../../core/domain/business-day';
import { newId } from '../../core/domain/ids';
import { builtInRole } from '../../core/domain/permissions';
import { newPublicToken } from '../../core/domain/public-token';
import type { Counter } from '../../core/domain/setup';
import { type TicketRecord, ticketCode } from '../../core/domain/ticket';
import {
  actionChange,
  callChange,
  expireChange,
  issueChange,
  type StatWrite,
  type TicketChange,
} from '../../core/domain/ticket-changes';
import { provisionTenant } from '../../core/usecases/identity/provision-tenant';
import type { TicketContext } from '../../core/usecases/tickets/context';
import { type BranchFixture, createBranchFixture } from '../../tests/support/branch-fixture';
import { random } from './common';
import { batchPut } from './dynamo';

export const TZ = 'Europe/Madrid';

/**
 * The branch of the demo seed (local/seed-setup.ts): priorities Preferential (rank 1),
 * Appointments (2) and General (3); queues P, C, G of those priorities; Counter 1 serves P+G,
 * Counter 2 C+G, Counter 3 G. Written in the item shapes of core/adapters/dynamo/items.
 */
export const DEMO_SHAPE = {
  timezone: TZ,
  priorities: {
    Preferential: { rank: 1, targetWaitMinutes: 10 },
    Appointments: { rank: 2, targetWaitMinutes: 15 },
    General: { rank: 3, targetWaitMinutes: 20 },
  },
  queues: {
    P: { priority: 'Preferential' },
    C: { priority: 'Appointments' },
    G: { priority: 'General' },
  },
  counters: {
    'Counter 1': { queues: ['P', 'G'] },
    'Counter 2': { queues: ['C', 'G'] },
    'Counter 3': { queues: ['G'] },
  },
} satisfies Parameters<typeof createBranchFixture>[0];

export const demoBranch = (tenantId?: string) => createBranchFixture({ ...DEMO_SHAPE, tenantId });

export const PASSWORD = 'bench-password-123';

/** A verified tenant and its admin (password PASSWORD), through the real provisioning use case. */
export async function tenantWithAdmin(slug: string) {
  return provisionTenant(
    { tenants: dynamoTenantStore },
    {
      organization: { name: 'Bench Org', slug },
      admin: { username: 'admin', email: 'admin@bench.invalid', password: PASSWORD, fullName: 'Bench Admin' },
    },
    { verified: true },
    new Date(),
  );
}

/**
 * `n` waiting tickets written straight into the table, in the shape enqueue writes them
 * (ticketToItem of core/adapters/dynamo/items/ticket.ts), with the queue's live waiting count
 * (one shard, `w<rank>`) and its number counter raised to match, so that the use cases see a
 * branch exactly as n enqueues would have left it — minus the report aggregates, which
 * call-next does not read. `individual` gives every k-th ticket the rank of another priority.
 */
export async function seedWaiting(
  f: BranchFixture,
  prefix: string,
  n: number,
  options: { now?: Date; individual?: { priority: string; every: number } } = {},
): Promise<TicketRecord[]> {
  const queue = f.queues[prefix]!;
  const priority = Object.values(f.priorities).find((p) => p.id === queue.priorityId)!;
  const individual = options.individual ? f.priorities[options.individual.priority]! : undefined;
  const now = options.now ?? new Date();
  const day = businessDayOf(now, TZ, 3);
  // Spread over the last hour, oldest first, so queuedAt order is issue order.
  const start = now.getTime() - 3_600_000;
  const step = 3_600_000 / Math.max(n, 1);
  const tickets: TicketRecord[] = [];
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const at = new Date(Math.floor(start + i * step));
    const id = newId(at.getTime());
    const own =
      individual && options.individual && i % options.individual.every === 0 ? individual : undefined;
    const iso = at.toISOString();
    const rank = own?.rank ?? priority.rank;
    counts.set(rank, (counts.get(rank) ?? 0) + 1);
    tickets.push({
      id,
      branchId: f.branchId,
      queueId: queue.id,
      priorityId: own?.id ?? queue.priorityId,
      number: i + 1,
      code: ticketCode(prefix, i + 1),
      businessDay: day,
      status: 'waiting',
      customer: null,
      note: null,
      createdAt: iso,
      queuedAt: iso,
      calledAt: null,
      startedAt: null,
      endedAt: null,
      counterId: null,
      servedBy: null,
      recalls: 0,
      transfers: [],
      publicToken: newPublicToken(f.tenantId, id),
      updatedAt: iso,
      rank,
      targetWaitMinutes: own?.targetWaitMinutes ?? priority.targetWaitMinutes,
      individualPriority: !!own,
      closeEpoch: 0,
      issuedQueueId: queue.id,
      issuedPriorityId: own?.id ?? queue.priorityId,
      hour: localHourOf(at, TZ),
      firstCall: null,
      rev: 0,
    });
  }
  await batchPut(tickets.map((t) => ticketToItem(f.tenantId, t)));
  const add = Object.fromEntries([...counts].map(([rank, c]) => [waitingAttribute(rank), c]));
  const names = Object.fromEntries(Object.keys(add).map((a, i) => [`#w${i}`, a]));
  const values = Object.fromEntries(Object.values(add).map((c, i) => [`:w${i}`, c]));
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: queueLiveKey(f.tenantId, f.branchId, queue.id, 0),
      UpdateExpression: `ADD ${Object.keys(names)
        .map((k, i) => `${k} :w${i}`)
        .join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
  await dynamo().send(
    new UpdateCommand({
      TableName: tableName(),
      Key: sequenceKey(f.tenantId, f.branchId, queue.id),
      UpdateExpression: 'SET #day = :day, epoch = :epoch ADD seq :n',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':n': n, ':day': day, ':epoch': 0 },
    }),
  );
  return tickets;
}

// ---------------------------------------------------------------------------------------------
// Report aggregates

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
): Promise<{ issued: number; items: number }> {
  const rnd = random(seed);
  const out = new AggregateItems(f.tenantId, f.branchId, rnd);
  const setup = await loadBranchSetup(f.tenantId, f.branchId);
  const counters = new Map<string, Counter>(setup.counters.map((c) => [c.id, { ...c }]));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  let issued = 0;
  for (const day of days) {
    const opening = zonedInstant(day, 8, TZ).getTime();
    for (let i = 0; i < perDay; i++) {
      const queue = pick(setup.queues);
      const created = new Date(opening + Math.floor(rnd() * 12 * 3600) * 1000);
      const id = `${day}-${i}`;
      const ticket: TicketRecord = {
        id,
        branchId: f.branchId,
        queueId: queue.id,
        priorityId: queue.priorityId,
        number: i + 1,
        code: ticketCode(queue.prefix, i + 1),
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
      issued++;
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
      out.apply(
        end < 0.8
          ? actionChange(called.ticket, 'complete', counter, later(wait + service))
          : end < 0.95
            ? actionChange(called.ticket, 'no-show', counter, later(wait + 120))
            : end < 0.98
              ? actionChange(called.ticket, 'cancel', counter, later(wait + 30))
              : expireChange(called.ticket, later(14 * 3600)),
      );
    }
  }
  await batchPut([...out.items.values()]);
  return { issued, items: out.items.size };
}

/** The ticket use cases' context for an agent at a given instant (a controlled clock). */
export function agentContext(f: BranchFixture, userId: string, now: Date): TicketContext {
  return {
    actor: {
      tenantId: f.tenantId,
      userId,
      roleId: 'agent',
      permissions: builtInRole('agent')!.permissions,
      branches: ['*'],
    },
    now,
    store: dynamoTicketStore,
    loadSetup: loadBranchSetup,
  };
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
