import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '#core/domain/errors';
import type { Branch } from '#core/domain/setup';
import type { PublicBranchStore } from '#core/ports/remote-join';
import type { BranchStore } from '#core/ports/setup';
import { dynamo, tableName } from './client';
import { decodeCursor, encodeCursor, pageOf } from './cursor';
import {
  type BranchItem,
  branchesRef,
  branchFromItem,
  branchKey,
  DUE_PARTITION,
  dueEntryOf,
  dueSortKey,
  publicBranchKey,
} from './items/branch';
import { getMany, LIVE, numberIs, transactWrites, updateLive, updateOf, type Write } from './operations';
import { counterTombstone, priorityUse, queueTombstone, tombstone } from './setup-writes';

function branchToItem(tenantId: string, branch: Branch, dueAt: Date): BranchItem {
  return {
    ...branchKey(tenantId, branch.id),
    type: 'branch',
    tenantId,
    ...branch,
    queueCount: 0,
    refPk: branchesRef(tenantId),
    refSk: branch.id,
    duePk: DUE_PARTITION,
    dueSk: dueSortKey(dueAt, tenantId, branch.id),
  };
}

const dueAtOf = (dueSk: unknown) => (typeof dueSk === 'string' ? new Date(dueEntryOf(dueSk).dueAt) : null);

/** The branch's public handle (items/branch.ts): there while remote join is on, gone otherwise. */
function publicHandle(tenantId: string, branchId: string, enabled: boolean): Write {
  const key = publicBranchKey(branchId);
  return {
    item: enabled
      ? { Put: { TableName: tableName(), Item: { ...key, tenantId, branchId } } }
      : { Delete: { TableName: tableName(), Key: key } },
  };
}

const isLive = (item: Record<string, unknown> | undefined): item is Record<string, unknown> =>
  !!item && !item.deletedAt;

export const dynamoBranchStore: BranchStore = {
  async create(tenantId, branch, dueAt) {
    await transactWrites([
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: branchToItem(tenantId, branch, dueAt),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      },
      ...(branch.remoteJoin.enabled ? [publicHandle(tenantId, branch.id, true)] : []),
    ]);
  },

  async get(tenantId, branchId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: branchKey(tenantId, branchId), ConsistentRead: true }),
    );
    return isLive(Item) ? { branch: branchFromItem(Item), dueAt: dueAtOf(Item.dueSk) } : undefined;
  },

  async list(tenantId, scope, { limit, cursor }) {
    const refPk = branchesRef(tenantId);
    if (scope !== 'all') {
      // A user limited to some branches: read exactly those, whatever the size of the tenant.
      const items = await getMany([...new Set(scope)].map((id) => branchKey(tenantId, id)));
      const branches = items
        .filter(isLive)
        .map(branchFromItem)
        .sort((a, b) => a.id.localeCompare(b.id));
      return pageOf(branches, (b) => b.id, limit, cursor, refPk);
    }
    const page = await dynamo().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: 'refs',
        KeyConditionExpression: 'refPk = :ref',
        // The index lags a delete by a moment; the item itself says whether it is deleted.
        FilterExpression: 'attribute_not_exists(deletedAt)',
        ExpressionAttributeValues: { ':ref': refPk },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, { attribute: 'refPk', value: refPk }, 'refs'),
      }),
    );
    return { items: (page.Items ?? []).map(branchFromItem), nextCursor: encodeCursor(page.LastEvaluatedKey) };
  },

  async update(tenantId, branchId, changes, now, dueAt) {
    const set = {
      ...changes,
      updatedAt: now.toISOString(),
      dueSk: dueAt && dueSortKey(dueAt, tenantId, branchId),
    };
    if (!changes.remoteJoin) {
      return branchFromItem(await updateLive(branchKey(tenantId, branchId), { set }, 'Branch'));
    }
    // Turning remote join on or off publishes or withdraws the branch's handle with it, atomically.
    await transactWrites([
      {
        item: { Update: updateOf(branchKey(tenantId, branchId), { set, condition: LIVE }) },
        onConditionFailed: () => new NotFoundError('Branch'),
      },
      publicHandle(tenantId, branchId, changes.remoteJoin.enabled),
    ]);
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: branchKey(tenantId, branchId), ConsistentRead: true }),
    );
    if (!isLive(Item)) throw new NotFoundError('Branch');
    return branchFromItem(Item);
  },

  async delete(tenantId, { branch, queues, counters }, now) {
    const uses = new Map<string, number>();
    for (const queue of queues) uses.set(queue.priorityId, (uses.get(queue.priorityId) ?? 0) + 1);
    await transactWrites([
      {
        item: {
          Update: updateOf(branchKey(tenantId, branch.id), {
            set: tombstone(now),
            remove: ['refPk', 'refSk', 'duePk', 'dueSk'],
            // A queue created since the setup was read would be left behind: read again instead.
            condition: (x) => `${LIVE} AND ${numberIs(x, 'queueCount', queues.length)}`,
          }),
        },
      },
      ...queues.map((queue) => queueTombstone(tenantId, queue, now)),
      ...counters.map((counter) => counterTombstone(tenantId, counter, now)),
      ...[...uses].map(([priorityId, n]) => priorityUse(tenantId, priorityId, -n)),
      publicHandle(tenantId, branch.id, false),
    ]);
  },
};

/** The public join page's way in: a branch id → its tenant, while the branch takes remote joins. */
export const dynamoPublicBranchStore: PublicBranchStore = {
  async tenantOf(branchId) {
    const { Item } = await dynamo().send(
      new GetCommand({ TableName: tableName(), Key: publicBranchKey(branchId), ConsistentRead: true }),
    );
    return typeof Item?.tenantId === 'string' ? Item.tenantId : undefined;
  },
};
