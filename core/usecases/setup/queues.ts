import { ConflictError, ValidationError } from '#core/domain/errors';
import { queueEstimate } from '#core/domain/estimates';
import { newId } from '#core/domain/ids';
import {
  avgServiceSeconds,
  type BranchSetup,
  emptyLive,
  type Queue,
  type QueueLive,
  type QueueStatus,
  waitingCount,
} from '#core/domain/setup';
import { assertNoneWaiting } from '#core/domain/setup-rules';
import type { PageRequest } from '#core/ports/page';
import { setupInScope } from '#core/usecases/scope';
import { entityInScope, listInBranch, type QueueContext, retryStale } from './common';

export interface QueueInput {
  name: string;
  prefix: string;
  priorityId: string;
  status?: QueueStatus;
  description?: string | null;
  displayOrder?: number | null;
}

/** A queue as the API shows it: the copies of its priority hidden, its live figures added. */
export type QueueView = Omit<Queue, 'priorityRank' | 'targetWaitMinutes'> & {
  waiting: number;
  estimatedWaitSeconds: number | null;
  avgServiceSeconds: number;
};

/** A queue with its live figures: waiting now, and the wait of a ticket issued now. */
export const queueView = (setup: BranchSetup, q: Queue & { live: QueueLive }): QueueView => ({
  id: q.id,
  branchId: q.branchId,
  name: q.name,
  prefix: q.prefix,
  priorityId: q.priorityId,
  status: q.status,
  description: q.description,
  displayOrder: q.displayOrder,
  waiting: waitingCount(q.live),
  estimatedWaitSeconds: queueEstimate(setup, q),
  avgServiceSeconds: avgServiceSeconds(q.live),
  createdAt: q.createdAt,
  updatedAt: q.updatedAt,
});

interface QueueRef {
  branchId: string;
  queueId: string;
}

const queueOf = (ctx: QueueContext, { branchId, queueId }: QueueRef) =>
  entityInScope(ctx, branchId, (s) => s.queues, queueId, 'Queue');

/** The priority a queue is to use, with the version its rank and target are copied from (400 when unknown). */
async function priorityFor(ctx: QueueContext, priorityId: string) {
  const found = await ctx.queues.getPriority(ctx.actor.tenantId, priorityId);
  if (!found) {
    throw new ValidationError('priorityId must be an existing priority', [
      { path: 'body.priorityId', message: 'No such priority' },
    ]);
  }
  return found;
}

export function createQueue(
  ctx: QueueContext,
  { branchId, ...input }: { branchId: string } & QueueInput,
): Promise<QueueView> {
  return retryStale(async () => {
    const setup = await setupInScope(ctx, branchId);
    const { priority, version } = await priorityFor(ctx, input.priorityId);
    const at = ctx.now.toISOString();
    const queue: Queue = {
      id: newId(),
      branchId,
      name: input.name,
      prefix: input.prefix,
      priorityId: priority.id,
      priorityRank: priority.rank,
      targetWaitMinutes: priority.targetWaitMinutes,
      status: input.status ?? 'open',
      description: input.description ?? null,
      displayOrder: input.displayOrder ?? null,
      createdAt: at,
      updatedAt: at,
    };
    await ctx.queues.create(ctx.actor.tenantId, queue, version);
    return queueView(setup, { ...queue, live: emptyLive() });
  });
}

export const listQueues = (ctx: QueueContext, input: { branchId: string } & PageRequest) =>
  listInBranch(ctx, input, 'queues', queueView);

export async function getQueue(ctx: QueueContext, ref: QueueRef) {
  const { setup, entity } = await queueOf(ctx, ref);
  return queueView(setup, entity);
}

export function updateQueue(
  ctx: QueueContext,
  { branchId, queueId, ...changes }: QueueRef & Partial<QueueInput>,
): Promise<QueueView> {
  return retryStale(async () => {
    const { setup, entity: before } = await queueOf(ctx, { branchId, queueId });
    const after = { ...before, ...changes, updatedAt: ctx.now.toISOString() };
    let priorityVersion: number | undefined;
    if (after.priorityId !== before.priorityId) {
      const { priority, version } = await priorityFor(ctx, after.priorityId);
      after.priorityRank = priority.rank;
      after.targetWaitMinutes = priority.targetWaitMinutes;
      priorityVersion = version;
    }
    await ctx.queues.update(ctx.actor.tenantId, before, after, priorityVersion);
    return queueView(setup, after);
  });
}

/**
 * 409 while tickets wait in it, and while a counter has it among its own queues (the counter
 * is edited first: silently dropping the queue could leave a counter with no queue at all).
 */
export function deleteQueue(ctx: QueueContext, ref: QueueRef): Promise<void> {
  return retryStale(async () => {
    const { setup, entity: queue } = await queueOf(ctx, ref);
    assertNoneWaiting([queue]);
    const counters = setup.counters.filter((c) => c.queueIds.includes(queue.id));
    if (counters.length > 0) {
      throw new ConflictError(
        'queue-in-use',
        `Counters serve this queue; remove it from them first: ${counters.map((c) => c.name).join(', ')}`,
      );
    }
    await ctx.queues.delete(ctx.actor.tenantId, queue, ctx.now);
  });
}
