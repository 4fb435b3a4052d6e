import type { Actor } from '#core/domain/actor';
import { businessDayOf } from '#core/domain/business-day';
import { ConflictError, NotFoundError, ServiceUnavailableError } from '#core/domain/errors';
import { newId } from '#core/domain/ids';
import { type Branch, type BranchSetup, waitingCount } from '#core/domain/setup';
import type { BranchRef, DayCloseStore, FinishedClose, PendingClose } from '#core/ports/day-close';
import type { SetupStore } from '#core/ports/setup';
import type { TicketStore } from '#core/ports/tickets';
import { type Caller, inBranchScope, setupInScope } from '#core/usecases/scope';
import { type Budget, expireOpenTickets } from './expire-open';

/** What a close runs on, with or without a caller (the background run and the hourly job have none). */
export interface DayCloseContext {
  actor?: Actor;
  now: Date;
  tickets: TicketStore;
  setups: SetupStore;
  dayClose: DayCloseStore;
}

export interface ClosedDay {
  businessDay: string;
  expired: number;
  nextBusinessDay: string;
}

/** `GET …/close-day`: the pending manual close, else the last one finished, else none. */
export interface CloseProgress {
  status: 'none' | 'closing' | 'closed';
  businessDay: string | null;
  expired: number;
  startedAt: string | null;
  closedAt: string | null;
  nextBusinessDay: string | null;
}

export type CloseOutcome = { done: true; closed: ClosedDay } | { done: false; progress: CloseProgress };

/** Numbering restarts in one transaction: the branch and each live queue's numbering item. */
export const MAX_CLOSE_QUEUES = 99;

/**
 * Manual close-day (docs/rules.md#day-close): expire what still waits or is called and finish
 * what is being served — every unfinished ticket of the branch — and only then restart numbering
 * at 1 for every queue. The order is what makes an interrupted close safe: until numbering
 * restarts, new tickets continue the old numbers, so no code can be held twice. The close is
 * recorded on the branch first (pending), so a retry, the background run or the hourly job
 * finishes an interrupted one. The business day itself goes on: tickets issued afterwards carry
 * the same `businessDay` (so `nextBusinessDay` is today), and the nightly job still closes and
 * rolls up the day when it ends. When the work outlasts `budget`, the close is left pending and
 * the caller continues it elsewhere (`done: false`).
 */
export async function closeDay(
  ctx: DayCloseContext & Caller,
  { branchId, budget }: { branchId: string; budget: Budget },
): Promise<CloseOutcome> {
  const { tenantId } = ctx.actor;
  const setup = await setupInScope(ctx, branchId);
  if (setup.queues.length > MAX_CLOSE_QUEUES) {
    throw new ConflictError(
      'too-large',
      `A branch with more than ${MAX_CLOSE_QUEUES} queues cannot restart its numbering in one step`,
    );
  }
  const close = await pendingClose(ctx, tenantId, setup.branch);
  const outcome = await finishClose(ctx, {
    tenantId,
    branchId,
    close,
    budget,
    retentionHours: setup.branch.contactRetentionHours,
  });
  return outcome.done
    ? { done: true, closed: closedDay(outcome.close) }
    : { done: false, progress: progressOf(outcome.close) };
}

/** The close pending on the branch, or a new one recorded as pending. */
async function pendingClose(ctx: DayCloseContext, tenantId: string, branch: Branch): Promise<PendingClose> {
  for (let attempt = 1; ; attempt++) {
    const state = await ctx.dayClose.closeState(tenantId, branch.id);
    if (!state) throw new NotFoundError('Branch');
    if (state.closing) return state.closing;
    const close: PendingClose = {
      id: newId(ctx.now.getTime()),
      businessDay: businessDayOf(ctx.now, branch.timezone, branch.resetHour),
      epoch: state.closeEpoch,
      startedAt: ctx.now.toISOString(),
      expired: 0,
      finished: 0,
    };
    if (await ctx.dayClose.startClose(tenantId, branch.id, close, state)) return close;
    if (attempt >= 3)
      throw new ServiceUnavailableError('The branch is being closed concurrently; retry shortly');
  }
}

export type FinishOutcome =
  | { done: true; close: FinishedClose }
  | { done: false; close: PendingClose; progressed: boolean };

/** Nothing waits in any live queue and no counter has a ticket: read consistently, with the numbering. */
function isEmpty(setup: BranchSetup): boolean {
  return (
    setup.queues.every((q) => waitingCount(q.live) <= 0) && setup.counters.every((c) => c.current === null)
  );
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a pending close on until numbering has restarted, or until `budget` is spent
 * (`retentionHours`: the branch's `contactRetentionHours`, for the tickets it ends).
 *
 * The open index lists what to end, but it is eventually consistent: a ticket issued a moment
 * ago may not be listed yet. So numbering restarts only once a strongly consistent read of the
 * branch (live waiting counts, counters) finds nothing left, and on condition that the
 * numbering read with it is unchanged — a ticket issued after that read fails the restart, and
 * the next round ends it too.
 */
export async function finishClose(
  ctx: DayCloseContext,
  {
    tenantId,
    branchId,
    close,
    budget,
    retentionHours,
  }: BranchRef & { close: PendingClose; budget: Budget; retentionHours: number },
): Promise<FinishOutcome> {
  let pending = close;
  let progressed = false;
  // The close is no longer what this run last saw: still pending (with others' progress), or finished.
  const elsewhere = async (): Promise<FinishOutcome> => {
    const state = await ctx.dayClose.closeState(tenantId, branchId);
    if (!state) throw new NotFoundError('Branch');
    if (state.closing?.id === close.id) {
      pending = state.closing;
      return { done: false, close: pending, progressed };
    }
    if (state.lastClose?.id === close.id) return { done: true, close: state.lastClose };
    // Finished, and newer closes since: what this run knows of it is all there is.
    return { done: true, close: { ...pending, closedAt: ctx.now.toISOString() } };
  };
  for (let round = 1; ; round++) {
    const ended = await expireOpenTickets(ctx, { tenantId, branchId, budget, retentionHours });
    const count = ended.expired + ended.finished;
    if (count > 0) {
      progressed = true;
      if (!(await ctx.dayClose.addProgress(tenantId, branchId, close.id, ended))) return elsewhere();
      pending = {
        ...pending,
        expired: pending.expired + ended.expired,
        finished: pending.finished + ended.finished,
      };
    }
    if (ended.failure) throw ended.failure.error;
    if (ended.complete) {
      const setup = await ctx.setups.load(tenantId, branchId);
      if (isEmpty(setup)) {
        let restarted: boolean;
        try {
          restarted = await ctx.dayClose.restartNumbering(tenantId, branchId, pending, setup, ctx.now);
        } catch (error) {
          // The answer was lost, not necessarily the write: a close that happened is never "failed".
          const other = await elsewhere().catch(() => undefined);
          if (other?.done) return other;
          throw error;
        }
        if (restarted) return { done: true, close: { ...pending, closedAt: ctx.now.toISOString() } };
        // A ticket was issued or a queue created meanwhile, or another run finished the close.
        const other = await elsewhere();
        if (other.done) return other;
      } else if (count === 0) {
        // The open index has not caught up with the branch yet.
        await sleep(Math.min(1_000, 50 * round));
      }
    }
    if (budget.exhausted()) return { done: false, close: pending, progressed };
  }
}

const closedDay = (close: PendingClose): ClosedDay => ({
  businessDay: close.businessDay,
  expired: close.expired,
  nextBusinessDay: close.businessDay,
});

function progressOf(close: PendingClose | FinishedClose): CloseProgress {
  const closedAt = 'closedAt' in close ? close.closedAt : null;
  return {
    status: closedAt ? 'closed' : 'closing',
    businessDay: close.businessDay,
    expired: close.expired,
    startedAt: close.startedAt,
    closedAt,
    nextBusinessDay: closedAt ? close.businessDay : null,
  };
}

/** `GET …/close-day`: 404 for a missing branch, then 403 outside the caller's branch scope. */
export async function closeProgress(
  ctx: DayCloseContext & Caller,
  { branchId }: { branchId: string },
): Promise<CloseProgress> {
  const state = await inBranchScope(
    ctx.actor,
    branchId,
    ctx.dayClose.closeState(ctx.actor.tenantId, branchId),
  );
  const close = state.closing ?? state.lastClose;
  if (close) return progressOf(close);
  return {
    status: 'none',
    businessDay: null,
    expired: 0,
    startedAt: null,
    closedAt: null,
    nextBusinessDay: null,
  };
}
