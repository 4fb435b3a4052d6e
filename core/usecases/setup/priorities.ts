import type { Actor } from '#core/domain/actor';
import { NotFoundError } from '#core/domain/errors';
import { newId } from '#core/domain/ids';
import type { Priority } from '#core/domain/setup';
import { DEFAULT_TARGET_WAIT_MINUTES } from '#core/domain/setup-rules';
import type { Page, PageRequest, PriorityChanges, PriorityRepository } from '#core/ports/setup';

export interface PriorityInput {
  name: string;
  rank: number;
  targetWaitMinutes?: number;
  color?: string | null;
  description?: string | null;
}

export async function createPriority(
  repo: PriorityRepository,
  actor: Actor,
  input: PriorityInput,
  now: Date,
): Promise<Priority> {
  const at = now.toISOString();
  const priority: Priority = {
    id: newId(),
    name: input.name,
    rank: input.rank,
    targetWaitMinutes: input.targetWaitMinutes ?? DEFAULT_TARGET_WAIT_MINUTES,
    color: input.color ?? null,
    description: input.description ?? null,
    createdAt: at,
    updatedAt: at,
  };
  await repo.create(actor.tenantId, priority);
  return priority;
}

export const listPriorities = (
  repo: PriorityRepository,
  actor: Actor,
  page: PageRequest,
): Promise<Page<Priority>> => repo.list(actor.tenantId, page);

export async function getPriority(
  repo: PriorityRepository,
  actor: Actor,
  priorityId: string,
): Promise<Priority> {
  const found = await repo.get(actor.tenantId, priorityId);
  if (!found) throw new NotFoundError('Priority');
  return found.priority;
}

/** Queues keep copies of their priority's rank and target (tickets are ranked from them): keep them in step. */
export async function updatePriority(
  repo: PriorityRepository,
  actor: Actor,
  priorityId: string,
  changes: PriorityChanges,
  now: Date,
): Promise<Priority> {
  const updated = await repo.update(actor.tenantId, priorityId, changes, now);
  if (changes.rank !== undefined || changes.targetWaitMinutes !== undefined) {
    await repo.syncQueues(actor.tenantId, updated);
  }
  return updated.priority;
}

export const deletePriority = (
  repo: PriorityRepository,
  actor: Actor,
  priorityId: string,
  now: Date,
): Promise<void> => repo.delete(actor.tenantId, priorityId, now);
