import type { Queue, QueueLive } from '../../../domain/setup';
import { branchPartition } from './branch';

export const queueKey = (tenantId: string, branchId: string, queueId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `A#QUEUE#${queueId}`,
});

/** Claim that keeps a queue prefix unique within its branch. */
export const prefixClaimKey = (tenantId: string, branchId: string, prefix: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `PREFIX#${prefix}`,
});

/** `refs` index entry: queues that use a priority (priority delete → 409, rank changes propagate). */
export const priorityRef = (tenantId: string, priorityId: string) => `T#${tenantId}#PRIORITY#${priorityId}`;

export interface QueueItem extends Queue {
  pk: string;
  sk: string;
  type: 'queue';
  /** The priority `version` that priorityRank/targetWaitMinutes were copied from (older copies never win). */
  priorityVersion?: number;
  /** Live counters that list the queue among their own: a queue delete → 409 while > 0. */
  counterCount?: number;
  deletedAt?: string;
  refPk?: string;
  refSk?: string;
}

export function queueFromItem(item: Record<string, unknown>): Queue {
  const i = item as unknown as QueueItem;
  return {
    id: i.id,
    branchId: i.branchId,
    name: i.name,
    prefix: i.prefix,
    priorityId: i.priorityId,
    priorityRank: i.priorityRank,
    targetWaitMinutes: i.targetWaitMinutes,
    status: i.status,
    description: i.description ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/**
 * Live figures of a queue are spread over SHARDS items so that concurrent enqueues and calls
 * rarely touch the same item in their transactions. Each holds `w<rank>` waiting counts,
 * `svcN`/`svcSum` observed service, `v` (changes to waiting tickets) and `changedAt` (the last
 * of those it took); the truth is the sum over shards (the latest `changedAt`).
 */
export const QUEUE_SHARDS = 8;

export const queueLiveKey = (tenantId: string, branchId: string, queueId: string, shard: number) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `A#QLIVE#${queueId}#${shard}`,
});

export const randomShard = () => Math.floor(Math.random() * QUEUE_SHARDS);

export const waitingAttribute = (rank: number) => `w${String(rank).padStart(2, '0')}`;

export const emptyLive = (): QueueLive => ({
  waitingByRank: new Map(),
  serviceCount: 0,
  serviceSeconds: 0,
  version: 0,
});

/** Adds one shard item into `live`. */
export function addShard(live: QueueLive, item: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(item)) {
    if (name === 'changedAt' && typeof value === 'string' && !(live.changedAt && live.changedAt > value)) {
      live.changedAt = value;
    }
    if (typeof value !== 'number') continue;
    const rank = /^w(\d{2})$/.exec(name);
    if (rank) {
      const r = Number(rank[1]);
      const total = (live.waitingByRank.get(r) ?? 0) + value;
      if (total === 0) live.waitingByRank.delete(r);
      else live.waitingByRank.set(r, total);
    } else if (name === 'v') live.version += value;
    else if (name === 'svcN') live.serviceCount += value;
    else if (name === 'svcSum') live.serviceSeconds += value;
  }
}

/**
 * The queue's numbering: the last number handed out, with its business day and close epoch.
 * It sorts under `A#`, so the setup read that every enqueue does anyway also reads it, and
 * the issuing transaction claims the next number with a condition on it (no extra request).
 */
export const sequenceKey = (tenantId: string, branchId: string, queueId: string) => ({
  pk: branchPartition(tenantId, branchId),
  sk: `A#SEQ#${queueId}`,
});
