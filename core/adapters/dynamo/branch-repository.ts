import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Branch } from '#core/domain/setup';
import type { BranchRepository } from '#core/ports/setup';
import { dynamo, tableName } from './client';
import { decodeCursor, encodeCursor, pageOf } from './cursor';
import {
  type BranchItem,
  branchesRef,
  branchFromItem,
  branchKey,
  DUE_PARTITION,
  dueSortKey,
} from './items/branch';
import { getMany, LIVE, numberIs, transactWrites, updateLive, updateOf } from './operations';
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

/** `dueSk` = `<ISO instant>#<tenant>#<branch>`. */
const dueAtOf = (dueSk: unknown) => (typeof dueSk === 'string' ? new Date(dueSk.split('#')[0]!) : null);

const isLive = (item: Record<string, unknown> | undefined): item is Record<string, unknown> =>
  !!item && !item.deletedAt;

// One export per operation rather than one object (docs/performance.md §1 says why).

export const createBranchRecord: BranchRepository['create'] = async (tenantId, branch, dueAt) => {
  await dynamo().send(
    new PutCommand({
      TableName: tableName(),
      Item: branchToItem(tenantId, branch, dueAt),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const getBranchRecord: BranchRepository['get'] = async (tenantId, branchId) => {
  const { Item } = await dynamo().send(
    new GetCommand({ TableName: tableName(), Key: branchKey(tenantId, branchId), ConsistentRead: true }),
  );
  return isLive(Item) ? { branch: branchFromItem(Item), dueAt: dueAtOf(Item.dueSk) } : undefined;
};

export const listBranchRecords: BranchRepository['list'] = async (tenantId, scope, { limit, cursor }) => {
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
};

export const updateBranchRecord: BranchRepository['update'] = async (
  tenantId,
  branchId,
  changes,
  now,
  dueAt,
) => {
  const set = {
    ...changes,
    updatedAt: now.toISOString(),
    dueSk: dueAt && dueSortKey(dueAt, tenantId, branchId),
  };
  return branchFromItem(await updateLive(branchKey(tenantId, branchId), { set }, 'Branch'));
};

export const deleteBranchRecords: BranchRepository['delete'] = async (
  tenantId,
  { branch, queues, counters },
  now,
) => {
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
  ]);
};
