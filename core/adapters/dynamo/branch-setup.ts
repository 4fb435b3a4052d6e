import { NotFoundError } from '#core/domain/errors';
import {
  type BranchSetup,
  type Counter,
  emptyLive,
  type Numbering,
  type Queue,
  type QueueLive,
} from '#core/domain/setup';
import { branchFromItem, branchPartition, SETUP_PREFIX } from './items/branch';
import { counterFromItem } from './items/counter';
import { addShard, numberingFromItem, queueFromItem } from './items/queue';
import { queryAll } from './operations';

/**
 * Loads a branch with its queues (and their live figures) and counters in one strongly
 * consistent Query over `begins_with(sk, "A#")`. Soft-deleted entities are left out; a missing
 * or deleted branch is a 404 (also when it belongs to another tenant: the key does not exist).
 */
export async function loadBranchSetup(tenantId: string, branchId: string): Promise<BranchSetup> {
  const items = await queryAll({
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': branchPartition(tenantId, branchId), ':prefix': SETUP_PREFIX },
    ConsistentRead: true,
  });

  const branchItem = items.find((i) => i.sk === 'A#BRANCH');
  if (!branchItem || branchItem.deletedAt) throw new NotFoundError('Branch');
  const queues = new Map<string, Queue>();
  const lives = new Map<string, QueueLive>();
  const numberings = new Map<string, Numbering>();
  const counters: Counter[] = [];
  for (const item of items) {
    const sk = item.sk as string;
    if (item.deletedAt) continue;
    if (sk.startsWith('A#QUEUE#')) {
      const queue = queueFromItem(item);
      queues.set(queue.id, queue);
    } else if (sk.startsWith('A#SEQ#')) {
      numberings.set(sk.slice('A#SEQ#'.length), numberingFromItem(item));
    } else if (sk.startsWith('A#QLIVE#')) {
      const [, , queueId, shard] = sk.split('#') as [string, string, string, string];
      let live = lives.get(queueId);
      if (!live) {
        live = emptyLive();
        lives.set(queueId, live);
      }
      addShard(live, item, Number(shard));
    } else if (sk.startsWith('A#COUNTER#')) {
      counters.push(counterFromItem(item));
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
  };
}
