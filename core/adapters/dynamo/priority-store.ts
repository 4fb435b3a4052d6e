import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError, NotFoundError } from '#core/domain/errors';
import type { Priority } from '#core/domain/setup';
import type { PriorityStore, PriorityVersion } from '#core/ports/setup';
import { dynamo, tableName } from './client';
import { pageOf } from './cursor';
import { isConditionFailed } from './errors';
import {
  PRIORITY_PREFIX,
  type PriorityItem,
  priorityFromItem,
  priorityKey,
  priorityToItem,
} from './items/priority';
import { priorityRef } from './items/queue';
import { tenantPartition } from './items/tenant';
import { LIVE, numberIs, queryAll, sleep, updateLive, updateOf } from './operations';
import { tombstone } from './setup-writes';

const versioned = (item: Record<string, unknown>) => ({
  priority: priorityFromItem(item),
  version: (item as unknown as PriorityItem).version ?? 0,
  queueCount: (item as unknown as PriorityItem).queueCount ?? 0,
});

/** A non-deleted priority with its version (the queue store reads it too). */
export async function getPriority(
  tenantId: string,
  priorityId: string,
): Promise<PriorityVersion | undefined> {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: priorityKey(tenantId, priorityId), ConsistentRead: true }),
  );
  return Item && !Item.deletedAt ? versioned(Item) : undefined;
}

/** Copies a priority's rank and target into a queue that uses it, unless it holds a newer copy. */
async function copyInto(queue: Record<string, string>, priority: Priority, version: number): Promise<void> {
  try {
    await dynamo().send(
      new UpdateCommand(
        updateOf(
          { pk: queue.pk!, sk: queue.sk! },
          {
            set: {
              priorityRank: priority.rank,
              targetWaitMinutes: priority.targetWaitMinutes,
              priorityVersion: version,
            },
            condition: (x) =>
              `${LIVE} AND ${x.name('priorityId')} = ${x.value(priority.id)} AND ` +
              `(attribute_not_exists(${x.name('priorityVersion')}) OR ${x.name('priorityVersion')} < ${x.value(version)})`,
          },
        ),
      ),
    );
  } catch (error) {
    // Deleted, moved to another priority, or already at this version or a newer one.
    if (!isConditionFailed(error)) throw error;
  }
}

export const dynamoPriorityStore: PriorityStore = {
  async create(tenantId, priority) {
    await dynamo().send(
      new PutCommand({
        TableName: tableName(),
        Item: priorityToItem(tenantId, priority),
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  },

  get: getPriority,

  async list(tenantId, { limit, cursor }) {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      FilterExpression: 'attribute_not_exists(deletedAt)',
      ExpressionAttributeValues: { ':pk': tenantPartition(tenantId), ':prefix': PRIORITY_PREFIX },
    });
    // Ranks are 1–99 and ids are ULIDs: `<rank 2 digits>#<id>` sorts by rank, then age.
    const keyOf = (p: { rank: number; id: string }) => `${String(p.rank).padStart(2, '0')}#${p.id}`;
    const priorities = items.map(priorityFromItem).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    return pageOf(priorities, keyOf, limit, cursor, `${tenantPartition(tenantId)}#PRIORITIES`);
  },

  async update(tenantId, priorityId, changes, now) {
    const item = await updateLive(
      priorityKey(tenantId, priorityId),
      { set: { ...changes, updatedAt: now.toISOString() }, add: { version: 1 } },
      'Priority',
    );
    return versioned(item);
  },

  async syncQueues(tenantId, { priority, version, queueCount }) {
    // The `refs` index is eventually consistent: a queue created just before this change may not
    // be listed yet. queueCount, kept in the queues' own transactions, says how many to expect.
    for (let attempt = 0; ; attempt++) {
      const queues = await queryAll({
        IndexName: 'refs',
        KeyConditionExpression: 'refPk = :ref',
        ExpressionAttributeValues: { ':ref': priorityRef(tenantId, priority.id) },
      });
      await Promise.all(queues.map((queue) => copyInto(queue as Record<string, string>, priority, version)));
      if (queues.length >= queueCount || attempt >= 4) return;
      await sleep(100 * 2 ** attempt);
    }
  },

  async delete(tenantId, priorityId, now) {
    try {
      await dynamo().send(
        new UpdateCommand({
          ...updateOf(priorityKey(tenantId, priorityId), {
            set: tombstone(now),
            condition: (x) => `${LIVE} AND ${numberIs(x, 'queueCount', 0)}`,
          }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!isConditionFailed(error)) throw error;
      const raw = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      const old = raw && unmarshall(raw);
      if (!old || old.deletedAt) throw new NotFoundError('Priority');
      throw new ConflictError('priority-in-use', `${old.queueCount} queue(s) use this priority`);
    }
  },
};
