import { NotFoundError } from '#core/domain/errors';
import { newId } from '#core/domain/ids';
import type { Priority } from '#core/domain/setup';
import { DEFAULT_TARGET_WAIT_MINUTES } from '#core/domain/setup-rules';
import type { Page, PageRequest } from '#core/ports/page';
import type { PriorityChanges } from '#core/ports/setup';
import type { PriorityContext } from './common';

export interface PriorityInput {
  name: string;
  rank: number;
  targetWaitMinutes?: number;
  color?: string | null;
  description?: string | null;
}

export async function createPriority(ctx: PriorityContext, input: PriorityInput): Promise<Priority> {
  const at = ctx.now.toISOString();
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
  await ctx.priorities.create(ctx.actor.tenantId, priority);
  return priority;
}

export const listPriorities = (ctx: PriorityContext, page: PageRequest): Promise<Page<Priority>> =>
  ctx.priorities.list(ctx.actor.tenantId, page);

export async function getPriority(
  ctx: PriorityContext,
  { priorityId }: { priorityId: string },
): Promise<Priority> {
  const found = await ctx.priorities.get(ctx.actor.tenantId, priorityId);
  if (!found) throw new NotFoundError('Priority');
  return found.priority;
}

/** Queues keep copies of their priority's rank and target (tickets are ranked from them): keep them in step. */
export async function updatePriority(
  ctx: PriorityContext,
  { priorityId, ...changes }: { priorityId: string } & PriorityChanges,
): Promise<Priority> {
  const updated = await ctx.priorities.update(ctx.actor.tenantId, priorityId, changes, ctx.now);
  if (changes.rank !== undefined || changes.targetWaitMinutes !== undefined) {
    await ctx.priorities.syncQueues(ctx.actor.tenantId, updated);
  }
  return updated.priority;
}

export const deletePriority = (ctx: PriorityContext, { priorityId }: { priorityId: string }): Promise<void> =>
  ctx.priorities.delete(ctx.actor.tenantId, priorityId, ctx.now);
