import { type Actor, assertBranchScope } from '#core/domain/actor';
import { businessDayOf } from '#core/domain/business-day';
import { NotFoundError } from '#core/domain/errors';
import { newId } from '#core/domain/ids';
import type { Branch } from '#core/domain/setup';
import {
  assertNoneBusy,
  assertNoneWaiting,
  currentDayEnd,
  DEFAULT_AGING_MINUTES,
  DEFAULT_RESET_HOUR,
  rescheduledDue,
} from '#core/domain/setup-rules';
import type { BranchChanges, BranchRepository, Page, PageRequest } from '#core/ports/setup';
import { retryStale, setupInScope } from './common';

export interface BranchInput {
  name: string;
  timezone: string;
  resetHour?: number;
  agingMinutes?: number;
  address?: string | null;
}

/** A branch as the API shows it: its bookkeeping hidden, its current business day added. */
export type BranchView = Omit<Branch, 'closeEpoch' | 'lastClosedDay'> & { businessDay: string };

export const branchView = (b: Branch, now: Date): BranchView => ({
  id: b.id,
  name: b.name,
  timezone: b.timezone,
  resetHour: b.resetHour,
  agingMinutes: b.agingMinutes,
  address: b.address,
  businessDay: businessDayOf(now, b.timezone, b.resetHour),
  createdAt: b.createdAt,
  updatedAt: b.updatedAt,
});

export async function createBranch(
  repo: Pick<BranchRepository, 'create'>,
  actor: Actor,
  input: BranchInput,
  now: Date,
): Promise<BranchView> {
  const at = now.toISOString();
  const branch: Branch = {
    id: newId(),
    name: input.name,
    timezone: input.timezone,
    resetHour: input.resetHour ?? DEFAULT_RESET_HOUR,
    agingMinutes: input.agingMinutes ?? DEFAULT_AGING_MINUTES,
    address: input.address ?? null,
    closeEpoch: 0,
    lastClosedDay: null,
    createdAt: at,
    updatedAt: at,
  };
  await repo.create(actor.tenantId, branch, currentDayEnd(now, branch.timezone, branch.resetHour));
  return branchView(branch, now);
}

/** Only the branches in the caller's scope. */
export async function listBranches(
  repo: Pick<BranchRepository, 'list'>,
  actor: Actor,
  page: PageRequest,
  now: Date,
): Promise<Page<BranchView>> {
  const scope = actor.branches.includes('*') ? 'all' : actor.branches;
  const { items, nextCursor } = await repo.list(actor.tenantId, scope, page);
  return { items: items.map((b) => branchView(b, now)), nextCursor };
}

async function branchInScope(repo: Pick<BranchRepository, 'get'>, actor: Actor, branchId: string) {
  const found = await repo.get(actor.tenantId, branchId);
  if (!found) throw new NotFoundError('Branch');
  assertBranchScope(actor, branchId);
  return found;
}

export async function getBranch(
  repo: Pick<BranchRepository, 'get'>,
  actor: Actor,
  branchId: string,
  now: Date,
) {
  return branchView((await branchInScope(repo, actor, branchId)).branch, now);
}

/** A new timezone or resetHour moves when the branch's day closes (never past a close already due). */
export async function updateBranch(
  repo: Pick<BranchRepository, 'get' | 'update'>,
  actor: Actor,
  branchId: string,
  changes: BranchChanges,
  now: Date,
): Promise<BranchView> {
  const { branch, dueAt } = await branchInScope(repo, actor, branchId);
  const timezone = changes.timezone ?? branch.timezone;
  const resetHour = changes.resetHour ?? branch.resetHour;
  const reschedule = timezone !== branch.timezone || resetHour !== branch.resetHour;
  const updated = await repo.update(
    actor.tenantId,
    branchId,
    changes,
    now,
    reschedule ? rescheduledDue(dueAt, now, timezone, resetHour) : undefined,
  );
  return branchView(updated, now);
}

/**
 * Soft-deletes the branch with its queues and counters, so that nothing of it keeps a priority
 * in use. Like deleting them one by one: 409 while tickets wait or a counter has a ticket.
 */
export function deleteBranch(
  repo: Pick<BranchRepository, 'loadSetup' | 'delete'>,
  actor: Actor,
  branchId: string,
  now: Date,
): Promise<void> {
  return retryStale(async () => {
    const setup = await setupInScope(repo, actor, branchId);
    assertNoneWaiting(setup.queues);
    assertNoneBusy(setup.counters);
    await repo.delete(actor.tenantId, setup, now);
  });
}
