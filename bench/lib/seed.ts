import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { loadBranchSetup } from '../../core/adapters/dynamo/branch-setup';
import { dynamo, tableName } from '../../core/adapters/dynamo/client';
import { queueLiveKey, sequenceKey, waitingAttribute } from '../../core/adapters/dynamo/items/queue';
import { ticketToItem } from '../../core/adapters/dynamo/items/ticket';
import { dynamoTenantStore } from '../../core/adapters/dynamo/tenant-store';
import { dynamoTicketStore } from '../../core/adapters/dynamo/ticket-store';
import { businessDayOf, localHourOf } from '../../core/domain/business-day';
import { newId } from '../../core/domain/ids';
import { builtInRole } from '../../core/domain/permissions';
import { newPublicToken } from '../../core/domain/public-token';
import { type TicketRecord, waitingTicket } from '../../core/domain/ticket';
import { provisionTenant } from '../../core/usecases/identity/provision-tenant';
import type { TicketContext } from '../../core/usecases/tickets/context';
import { type BranchFixture, createBranchFixture } from '../../tests/support/branch-fixture';
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
    const rank = own?.rank ?? priority.rank;
    counts.set(rank, (counts.get(rank) ?? 0) + 1);
    tickets.push(
      waitingTicket({
        id,
        branchId: f.branchId,
        queueId: queue.id,
        priorityId: own?.id ?? queue.priorityId,
        prefix,
        number: i + 1,
        businessDay: day,
        createdAt: at.toISOString(),
        publicToken: newPublicToken(f.tenantId, id),
        rank,
        targetWaitMinutes: own?.targetWaitMinutes ?? priority.targetWaitMinutes,
        individualPriority: !!own,
        closeEpoch: 0,
        hour: localHourOf(at, TZ),
      }),
    );
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
