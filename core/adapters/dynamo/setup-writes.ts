import type { Counter, Queue } from '#core/domain/setup';
import { branchKey } from './items/branch';
import { counterKey } from './items/counter';
import { priorityKey } from './items/priority';
import { queueKey } from './items/queue';
import { type Expr, LIVE, numberIs, type UpdateSpec, updateOf, type Write } from './operations';

/**
 * Transaction items shared by the setup repositories. References between setup items are
 * counted on the referenced item, in the same transaction as the reference changes, so that
 * "delete → 409 while in use" is one atomic condition instead of a read racing a write.
 */

export const tombstone = (now: Date) => ({ deletedAt: now.toISOString(), updatedAt: now.toISOString() });

const counted = (
  key: Record<string, string>,
  attribute: string,
  delta: number,
  condition: UpdateSpec['condition'] = LIVE,
): Write => ({
  item: { Update: updateOf(key, { add: { [attribute]: delta }, condition }) },
});

/**
 * A queue starts (+1) or stops (−n) using a priority. Starting also checks the priority is still
 * at `version`, the one whose rank and target the queue copied.
 */
export const priorityUse = (tenantId: string, priorityId: string, delta: number, version?: number): Write =>
  counted(
    priorityKey(tenantId, priorityId),
    'queueCount',
    delta,
    version === undefined ? 'attribute_exists(pk)' : (x) => `${LIVE} AND ${numberIs(x, 'version', version)}`,
  );

/** A queue is created (+1) or deleted (−1) in a branch. */
export const branchQueueCount = (tenantId: string, branchId: string, delta: number): Write =>
  counted(branchKey(tenantId, branchId), 'queueCount', delta);

/** A counter takes (+1) or drops (−1) a queue among its own. */
export const queueUse = (tenantId: string, branchId: string, queueId: string, delta: number): Write =>
  counted(queueKey(tenantId, branchId, queueId), 'counterCount', delta);

/**
 * Soft-deletes a queue and takes it out of its priority's `refs`, on the condition that it still
 * uses the priority the caller releases (plus `also`).
 */
export const queueTombstone = (
  tenantId: string,
  queue: Queue,
  now: Date,
  also?: (x: Expr) => string,
): Write => ({
  item: {
    Update: updateOf(queueKey(tenantId, queue.branchId, queue.id), {
      set: tombstone(now),
      remove: ['refPk', 'refSk'],
      condition: (x) =>
        [`${LIVE} AND ${x.name('priorityId')} = ${x.value(queue.priorityId)}`, also?.(x)]
          .filter(Boolean)
          .join(' AND '),
    }),
  },
});

/** Soft-deletes a counter that has no called or serving ticket. */
export const counterTombstone = (tenantId: string, counter: Counter, now: Date): Write => ({
  item: {
    Update: updateOf(counterKey(tenantId, counter.branchId, counter.id), {
      set: tombstone(now),
      condition: `${LIVE} AND attribute_not_exists(currentTicketId)`,
    }),
  },
});
