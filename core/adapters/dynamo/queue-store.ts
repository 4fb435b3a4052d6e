import { ConflictError } from '#core/domain/errors';
import type { Queue, QueueLive, QueueStatus } from '#core/domain/setup';
import type { QueueStore } from '#core/ports/setup';
import { tableName } from './client';
import {
  prefixClaimKey,
  priorityRef,
  QUEUE_SHARDS,
  QUEUE_STATUS,
  type QueueItem,
  queueKey,
  queueLiveKey,
} from './items/queue';
import { LIVE, numberIs, transactWrites, updateOf, type Write } from './operations';
import { getPriority } from './priority-store';
import { branchQueueCount, priorityUse, queueTombstone } from './setup-writes';

function queueToItem(tenantId: string, queue: Queue, priorityVersion: number): QueueItem {
  return {
    ...queueKey(tenantId, queue.branchId, queue.id),
    type: 'queue',
    ...queue,
    priorityVersion,
    counterCount: 0,
    refPk: priorityRef(tenantId, queue.priorityId),
    refSk: queue.id,
  };
}

/** The claim that keeps `queue.prefix` unique in its branch. */
const claimPrefix = (tenantId: string, queue: Queue): Write => ({
  item: {
    Put: {
      TableName: tableName(),
      Item: { ...prefixClaimKey(tenantId, queue.branchId, queue.prefix), queueId: queue.id },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  },
  onConditionFailed: () =>
    new ConflictError('duplicate-prefix', `Another queue of this branch has the prefix ${queue.prefix}`),
});

const releasePrefix = (tenantId: string, queue: Queue): Write => ({
  item: { Delete: { TableName: tableName(), Key: prefixClaimKey(tenantId, queue.branchId, queue.prefix) } },
});

/**
 * The queue's status on each of its live shards (an absent one counts as open), where the
 * transaction writing a ticket into the queue requires it; a delete also requires that no
 * shard changed since `live` was read — no ticket arrived after the check that none waits.
 */
const mirrorStatus = (
  tenantId: string,
  queue: Queue,
  status: QueueStatus | 'deleted',
  live?: QueueLive,
): Write[] =>
  Array.from({ length: QUEUE_SHARDS }, (_, shard) => ({
    item: {
      Update: updateOf(queueLiveKey(tenantId, queue.branchId, queue.id, shard), {
        set: { [QUEUE_STATUS]: status },
        ...(live && { condition: (x) => numberIs(x, 'v', live.shardVersions[shard] ?? 0) }),
      }),
    },
  }));

export const dynamoQueueStore: QueueStore = {
  getPriority,

  async create(tenantId, queue, priorityVersion) {
    await transactWrites([
      branchQueueCount(tenantId, queue.branchId, 1),
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: queueToItem(tenantId, queue, priorityVersion),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      claimPrefix(tenantId, queue),
      priorityUse(tenantId, queue.priorityId, 1, priorityVersion),
      ...(queue.status === 'open' ? [] : mirrorStatus(tenantId, queue, queue.status)),
    ]);
  },

  async update(tenantId, before, after, priorityVersion) {
    const movesPriority = after.priorityId !== before.priorityId;
    const writes: Write[] = [
      {
        item: {
          Update: updateOf(queueKey(tenantId, before.branchId, before.id), {
            set: {
              name: after.name,
              prefix: after.prefix,
              status: after.status,
              description: after.description,
              displayOrder: after.displayOrder,
              updatedAt: after.updatedAt,
              ...(movesPriority && {
                priorityId: after.priorityId,
                priorityRank: after.priorityRank,
                targetWaitMinutes: after.targetWaitMinutes,
                priorityVersion,
                refPk: priorityRef(tenantId, after.priorityId),
              }),
            },
            // The claims and counts below were derived from this prefix and priority.
            condition: (x) =>
              `${LIVE} AND ${x.name('prefix')} = ${x.value(before.prefix)} AND ` +
              `${x.name('priorityId')} = ${x.value(before.priorityId)}`,
          }),
        },
      },
    ];
    if (after.prefix !== before.prefix) {
      writes.push(releasePrefix(tenantId, before), claimPrefix(tenantId, after));
    }
    if (after.status !== before.status) writes.push(...mirrorStatus(tenantId, after, after.status));
    if (movesPriority) {
      writes.push(
        priorityUse(tenantId, before.priorityId, -1),
        priorityUse(tenantId, after.priorityId, 1, priorityVersion),
      );
    }
    await transactWrites(writes);
  },

  async delete(tenantId, queue, now) {
    await transactWrites([
      queueTombstone(tenantId, queue, now, (x) => numberIs(x, 'counterCount', 0)),
      releasePrefix(tenantId, queue),
      priorityUse(tenantId, queue.priorityId, -1),
      branchQueueCount(tenantId, queue.branchId, -1),
      ...mirrorStatus(tenantId, queue, 'deleted', queue.live),
    ]);
  },
};
