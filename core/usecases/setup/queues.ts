import type { Actor } from '#core/domain/actor';
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
import type { PageRequest, QueueRepository } from '#core/ports/setup';
import { entityInScope, listInBranch, retryStale, setupInScope } from './common';

export interface QueueInput {
  name: string;
  prefix: string;
  priorityId: string;
  status?: QueueStatus;
  description?: string | null;
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
  waiting: waitingCount(q.live),
  estimatedWaitSeconds: queueEstimate(setup, q),
  avgServiceSeconds: avgServiceSeconds(q.live),
  createdAt: q.createdAt,
  updatedAt: q.updatedAt,
});

const queueOf = (repo: QueueRepository, actor: Actor, branchId: string, queueId: string) =>
  entityInScope(repo, actor, branchId, (s) => s.queues, queueId, 'Queue');

/** The priority a queue is to use, with the version its rank and target are copied from (400 when unknown). */
async function priorityFor(repo: QueueRepository, actor: Actor, priorityId: string) {
  const found = await repo.getPriority(actor.tenantId, priorityId);
  if (!found) {
    throw new ValidationError('priorityId must be an existing priority', [
      { path: 'body.priorityId', message: 'No such priority' },
    ]);
  }
  return found;
}

export function createQueue(
  repo: QueueRepository,
  actor: Actor,
  branchId: string,
  input: QueueInput,
  now: Date,
): Promise<QueueView> {
  return retryStale(async () => {
    const setup = await setupInScope(repo, actor, branchId);
    const { priority, version } = await priorityFor(repo, actor, input.priorityId);
    const at = now.toISOString();
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
      createdAt: at,
      updatedAt: at,
    };
    await repo.create(actor.tenantId, queue, version);
    return queueView(setup, { ...queue, live: emptyLive() });
  });
}

export const listQueues = (repo: QueueRepository, actor: Actor, branchId: string, page: PageRequest) =>
  listInBranch(repo, actor, branchId, 'queues', page, queueView);

export async function getQueue(repo: QueueRepository, actor: Actor, branchId: string, queueId: string) {
  const { setup, entity } = await queueOf(repo, actor, branchId, queueId);
  return queueView(setup, entity);
}

export function updateQueue(
  repo: QueueRepository,
  actor: Actor,
  branchId: string,
  queueId: string,
  changes: Partial<QueueInput>,
  now: Date,
): Promise<QueueView> {
  return retryStale(async () => {
    const { setup, entity: before } = await queueOf(repo, actor, branchId, queueId);
    const after = { ...before, ...changes, updatedAt: now.toISOString() };
    let priorityVersion: number | undefined;
    if (after.priorityId !== before.priorityId) {
      const { priority, version } = await priorityFor(repo, actor, after.priorityId);
      after.priorityRank = priority.rank;
      after.targetWaitMinutes = priority.targetWaitMinutes;
      priorityVersion = version;
    }
    await repo.update(actor.tenantId, before, after, priorityVersion);
    return queueView(setup, after);
  });
}

/**
 * 409 while tickets wait in it, and while a counter has it among its own queues (the counter
 * is edited first: silently dropping the queue could leave a counter with no queue at all).
 */
export function deleteQueue(
  repo: QueueRepository,
  actor: Actor,
  branchId: string,
  queueId: string,
  now: Date,
): Promise<void> {
  return retryStale(async () => {
    const { setup, entity: queue } = await queueOf(repo, actor, branchId, queueId);
    assertNoneWaiting([queue]);
    const counters = setup.counters.filter((c) => c.queueIds.includes(queueId));
    if (counters.length > 0) {
      throw new ConflictError(
        'queue-in-use',
        `Counters serve this queue; remove it from them first: ${counters.map((c) => c.name).join(', ')}`,
      );
    }
    await repo.delete(actor.tenantId, queue, now);
  });
}
