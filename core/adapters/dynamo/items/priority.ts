import type { Priority } from '#core/domain/setup';
import { tenantPartition } from './tenant';

export const PRIORITY_PREFIX = 'PRIORITY#';

export const priorityKey = (tenantId: string, priorityId: string) => ({
  pk: tenantPartition(tenantId),
  sk: `${PRIORITY_PREFIX}${priorityId}`,
});

export interface PriorityItem extends Priority {
  pk: string;
  sk: string;
  type: 'priority';
  /** Grows with every change; queues copy rank and target together with it (see queue `priorityVersion`). */
  version: number;
  /** Non-deleted queues that use the priority, kept in the queues' own transactions: delete → 409 while > 0. */
  queueCount: number;
  deletedAt?: string;
}

export function priorityToItem(tenantId: string, priority: Priority): PriorityItem {
  return { ...priorityKey(tenantId, priority.id), type: 'priority', ...priority, version: 1, queueCount: 0 };
}

export function priorityFromItem(item: Record<string, unknown>): Priority {
  const i = item as unknown as PriorityItem;
  return {
    id: i.id,
    name: i.name,
    rank: i.rank,
    targetWaitMinutes: i.targetWaitMinutes,
    color: i.color ?? null,
    description: i.description ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}
