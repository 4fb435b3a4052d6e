import { businessDayOf } from '#core/domain/business-day';
import { newId } from '#core/domain/ids';
import type { Branch, RemoteJoin } from '#core/domain/setup';
import {
  assertNoneBusy,
  assertNoneWaiting,
  currentDayEnd,
  DEFAULT_AGING_MINUTES,
  DEFAULT_BRANCH_LANGUAGE,
  DEFAULT_CONTACT_RETENTION_HOURS,
  DEFAULT_NOTIFY_AT_POSITION,
  DEFAULT_RESET_HOUR,
  rescheduledDue,
} from '#core/domain/setup-rules';
import type { Page, PageRequest } from '#core/ports/page';
import type { BranchChanges } from '#core/ports/setup';
import { inBranchScope, setupInScope } from '#core/usecases/scope';
import { type BranchContext, retryStale } from './common';

export interface BranchInput {
  name: string;
  timezone: string;
  resetHour?: number;
  agingMinutes?: number;
  address?: string | null;
  language?: string;
  printTickets?: boolean;
  notifyAtPosition?: number;
  remoteJoin?: { enabled: boolean; maxWaiting?: number | null };
  contactRetentionHours?: number;
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
  language: b.language,
  printTickets: b.printTickets,
  notifyAtPosition: b.notifyAtPosition,
  remoteJoin: b.remoteJoin,
  contactRetentionHours: b.contactRetentionHours,
  businessDay: businessDayOf(now, b.timezone, b.resetHour),
  createdAt: b.createdAt,
  updatedAt: b.updatedAt,
});

const remoteJoinOf = (r: BranchInput['remoteJoin']): RemoteJoin => ({
  enabled: r?.enabled ?? false,
  maxWaiting: r?.maxWaiting ?? null,
});

export async function createBranch(ctx: BranchContext, input: BranchInput): Promise<BranchView> {
  const { actor, now } = ctx;
  const at = now.toISOString();
  const branch: Branch = {
    id: newId(),
    name: input.name,
    timezone: input.timezone,
    resetHour: input.resetHour ?? DEFAULT_RESET_HOUR,
    agingMinutes: input.agingMinutes ?? DEFAULT_AGING_MINUTES,
    address: input.address ?? null,
    language: input.language ?? DEFAULT_BRANCH_LANGUAGE,
    printTickets: input.printTickets ?? false,
    notifyAtPosition: input.notifyAtPosition ?? DEFAULT_NOTIFY_AT_POSITION,
    remoteJoin: remoteJoinOf(input.remoteJoin),
    contactRetentionHours: input.contactRetentionHours ?? DEFAULT_CONTACT_RETENTION_HOURS,
    closeEpoch: 0,
    lastClosedDay: null,
    createdAt: at,
    updatedAt: at,
  };
  await ctx.branches.create(actor.tenantId, branch, currentDayEnd(now, branch.timezone, branch.resetHour));
  return branchView(branch, now);
}

/** Only the branches in the caller's scope. */
export async function listBranches(ctx: BranchContext, page: PageRequest): Promise<Page<BranchView>> {
  const { actor } = ctx;
  const scope = actor.branches.includes('*') ? 'all' : actor.branches;
  const { items, nextCursor } = await ctx.branches.list(actor.tenantId, scope, page);
  return { items: items.map((b) => branchView(b, ctx.now)), nextCursor };
}

const branchOf = (ctx: BranchContext, branchId: string) =>
  inBranchScope(ctx.actor, branchId, ctx.branches.get(ctx.actor.tenantId, branchId));

export async function getBranch(ctx: BranchContext, { branchId }: { branchId: string }) {
  return branchView((await branchOf(ctx, branchId)).branch, ctx.now);
}

/** A new timezone or resetHour moves when the branch's day closes (never past a close already due). */
export async function updateBranch(
  ctx: BranchContext,
  {
    branchId,
    remoteJoin,
    ...rest
  }: { branchId: string } & Omit<BranchChanges, 'remoteJoin'> & Pick<BranchInput, 'remoteJoin'>,
): Promise<BranchView> {
  const { actor, now } = ctx;
  const changes: BranchChanges = remoteJoin ? { ...rest, remoteJoin: remoteJoinOf(remoteJoin) } : rest;
  const { branch, dueAt } = await branchOf(ctx, branchId);
  const timezone = changes.timezone ?? branch.timezone;
  const resetHour = changes.resetHour ?? branch.resetHour;
  const reschedule = timezone !== branch.timezone || resetHour !== branch.resetHour;
  const updated = await ctx.branches.update(
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
export function deleteBranch(ctx: BranchContext, { branchId }: { branchId: string }): Promise<void> {
  return retryStale(async () => {
    const setup = await setupInScope(ctx, branchId);
    assertNoneWaiting(setup.queues);
    assertNoneBusy(setup.counters);
    await ctx.branches.delete(ctx.actor.tenantId, setup, ctx.now);
  });
}
