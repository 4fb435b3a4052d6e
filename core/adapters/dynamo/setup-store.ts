import { NotFoundError } from '#core/domain/errors';
import {
  type BranchSetup,
  type Counter,
  emptyLive,
  type Numbering,
  type Queue,
  type QueueLive,
} from '#core/domain/setup';
import type { SetupStore } from '#core/ports/setup';
import { pageOf } from './cursor';
import {
  BRANCH_SORT_KEY,
  branchFromItem,
  branchPartition,
  REMOTE_WAITING_SORT_KEY,
  SETUP_PREFIX,
} from './items/branch';
import { COUNTER_PREFIX, counterFromItem } from './items/counter';
import {
  addShard,
  liveShardOf,
  numberingFromItem,
  QUEUE_LIVE_PREFIX,
  QUEUE_PREFIX,
  queueFromItem,
  SEQUENCE_PREFIX,
} from './items/queue';
import { queryAll } from './operations';

/**
 * Loads a branch with its queues (and their live figures) and counters in one strongly
 * consistent Query over the branch partition's setup items (SETUP_PREFIX). Soft-deleted entities
 * are left out; a missing or deleted branch is a 404 (also when it belongs to another tenant:
 * the key does not exist).
 */
async function loadSetup(tenantId: string, branchId: string): Promise<BranchSetup> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': branchPartition(tenantId, branchId), ':prefix': SETUP_PREFIX },
    ConsistentRead: true,
  });

  const branchItem = items.find((i) => i.sk === BRANCH_SORT_KEY);
  if (!branchItem || branchItem.deletedAt) throw new NotFoundError('Branch');
  const queues = new Map<string, Queue>();
  const lives = new Map<string, QueueLive>();
  const numberings = new Map<string, Numbering>();
  const counters: Counter[] = [];
  let remoteWaiting = 0;
  for (const item of items) {
    const sk = item.sk as string;
    if (item.deletedAt) continue;
    if (sk.startsWith(QUEUE_PREFIX)) {
      const queue = queueFromItem(item);
      queues.set(queue.id, queue);
    } else if (sk.startsWith(SEQUENCE_PREFIX)) {
      numberings.set(sk.slice(SEQUENCE_PREFIX.length), numberingFromItem(item));
    } else if (sk.startsWith(QUEUE_LIVE_PREFIX)) {
      const { queueId, shard } = liveShardOf(sk);
      let live = lives.get(queueId);
      if (!live) {
        live = emptyLive();
        lives.set(queueId, live);
      }
      addShard(live, item, shard);
    } else if (sk.startsWith(COUNTER_PREFIX)) {
      counters.push(counterFromItem(item));
    } else if (sk === REMOTE_WAITING_SORT_KEY) {
      remoteWaiting = (item.n as number | undefined) ?? 0;
    }
  }
  return {
    branch: branchFromItem(branchItem),
    queues: [...queues.values()]
      .map((queue) => ({
        ...queue,
        live: lives.get(queue.id) ?? emptyLive(),
        numbering: numberings.get(queue.id) ?? null,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    counters: counters.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)),
    remoteWaiting,
  };
}

/** Setup lists (queues, counters) are read whole with the branch; they page in creation order. */
export const dynamoSetupStore: SetupStore = {
  load: loadSetup,
  pageOf: (items, list, { limit, cursor }) =>
    pageOf(items, (item) => `${item.createdAt}#${item.id}`, limit, cursor, list),
};
