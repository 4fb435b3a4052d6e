import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { dynamo, tableName } from '#core/adapters/dynamo/client';
import { branchesRef, branchKey, DUE_PARTITION, dueSortKey } from '#core/adapters/dynamo/items/branch';
import { counterKey } from '#core/adapters/dynamo/items/counter';
import { priorityKey } from '#core/adapters/dynamo/items/priority';
import { priorityRef, queueKey } from '#core/adapters/dynamo/items/queue';
import { businessDayEnd, businessDayOf } from '#core/domain/business-day';
import type { QueueStatus } from '#core/domain/setup';

export interface FixtureQueue {
  id: string;
  prefix: string;
  priorityId: string;
  rank: number;
}

export interface BranchFixture {
  tenantId: string;
  branchId: string;
  priorities: Record<string, { id: string; rank: number; targetWaitMinutes: number }>;
  queues: Record<string, FixtureQueue>;
  counters: Record<string, string>;
}

const put = (Item: Record<string, unknown>) =>
  dynamo().send(new PutCommand({ TableName: tableName(), Item }));

/**
 * Writes a branch with priorities, queues and counters straight into the test table, in the
 * item shapes of core/adapters/dynamo/items — for ticket tests that should not depend on the
 * setup routes. `queues`: prefix → priority name (+status); `counters`: name → queue prefixes.
 */
export async function createBranchFixture(options: {
  tenantId?: string;
  agingMinutes?: number;
  timezone?: string;
  resetHour?: number;
  priorities?: Record<string, { rank: number; targetWaitMinutes?: number }>;
  queues?: Record<string, { priority: string; status?: QueueStatus }>;
  counters?: Record<string, { queues: string[]; allowStealing?: boolean }>;
  /** The clock the branch is created at (its first due close follows from it). */
  now?: Date;
}): Promise<BranchFixture> {
  const tenantId = options.tenantId ?? ulid();
  const branchId = ulid();
  const clock = options.now ?? new Date();
  const now = clock.toISOString();
  const timezone = options.timezone ?? 'Europe/Madrid';
  const resetHour = options.resetHour ?? 3;
  const dueAt = businessDayEnd(businessDayOf(clock, timezone, resetHour), timezone, resetHour);
  const priorities: BranchFixture['priorities'] = {};
  for (const [name, p] of Object.entries(options.priorities ?? { General: { rank: 3 } })) {
    const id = ulid();
    priorities[name] = { id, rank: p.rank, targetWaitMinutes: p.targetWaitMinutes ?? 15 };
    await put({
      ...priorityKey(tenantId, id),
      type: 'priority',
      id,
      name,
      rank: p.rank,
      targetWaitMinutes: p.targetWaitMinutes ?? 15,
      color: null,
      description: null,
      createdAt: now,
      updatedAt: now,
    });
  }
  await put({
    ...branchKey(tenantId, branchId),
    type: 'branch',
    tenantId,
    id: branchId,
    name: 'Test branch',
    timezone,
    resetHour,
    agingMinutes: options.agingMinutes ?? 15,
    address: null,
    closeEpoch: 0,
    lastClosedDay: null,
    createdAt: now,
    updatedAt: now,
    refPk: branchesRef(tenantId),
    refSk: branchId,
    duePk: DUE_PARTITION,
    dueSk: dueSortKey(dueAt, tenantId, branchId),
  });
  const queues: BranchFixture['queues'] = {};
  let n = 0;
  for (const [prefix, q] of Object.entries(options.queues ?? { G: { priority: 'General' } })) {
    const id = ulid();
    const priority = priorities[q.priority]!;
    queues[prefix] = { id, prefix, priorityId: priority.id, rank: priority.rank };
    await put({
      ...queueKey(tenantId, branchId, id),
      type: 'queue',
      id,
      branchId,
      name: `Queue ${prefix}`,
      prefix,
      priorityId: priority.id,
      priorityRank: priority.rank,
      targetWaitMinutes: priority.targetWaitMinutes,
      status: q.status ?? 'open',
      description: null,
      // Distinct creation times keep "oldest queue" deterministic.
      createdAt: new Date(Date.parse(now) + n++).toISOString(),
      updatedAt: now,
      refPk: priorityRef(tenantId, priority.id),
      refSk: id,
    });
  }
  const counters: BranchFixture['counters'] = {};
  for (const [name, c] of Object.entries(
    options.counters ?? { 'Counter 1': { queues: Object.keys(queues) } },
  )) {
    const id = ulid();
    counters[name] = id;
    await put({
      ...counterKey(tenantId, branchId, id),
      type: 'counter',
      id,
      branchId,
      name,
      queueIds: c.queues.map((p) => queues[p]!.id),
      allowStealing: c.allowStealing ?? true,
      createdAt: now,
      updatedAt: now,
    });
  }
  return { tenantId, branchId, priorities, queues, counters };
}
