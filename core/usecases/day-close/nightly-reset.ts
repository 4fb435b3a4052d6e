import { addDays, businessDayEnd, businessDayOf } from '#core/domain/business-day';
import { NotFoundError } from '#core/domain/errors';
import type { BranchSetup } from '#core/domain/setup';
import type { BranchRef } from '#core/ports/day-close';
import { mapBounded } from '#core/usecases/reports/summary';
import { type DayCloseContext, finishClose } from './close-day';
import { type Budget, expireOpenTickets, timeBudget } from './expire-open';

export interface BranchClosed extends BranchRef {
  closedThrough: string;
  expired: number;
  finished: number;
  rolledUpDays: number;
}

/**
 * One run of a branch's close: done (`closed` when it recorded a nightly close), or to be
 * continued; `manual` when it finished a manual close left pending on the branch.
 */
export type BranchRun = (
  | { status: 'done'; closed?: BranchClosed }
  | { status: 'more'; progressed: boolean }
) & {
  manual?: true;
};

/**
 * The close of one branch at `ctx.now` — what the hourly job runs for each branch that is due,
 * wherever it runs (one queue message per branch in AWS, a few at a time in one process
 * locally). It first finishes a manual close left pending on the branch; then, if the
 * branch's business day has ended, it closes the days before its new business day: their
 * unfinished tickets end, their figures are rolled up, and the branch's due entry moves to the
 * end of the new day. Tickets of the new business day are never touched, and only the days
 * being closed are read. Every step is conditional or idempotent: running twice finds nothing
 * the second time; a run cut off part-way, or out of `budget`, is completed by the next one.
 */
export async function closeBranch(
  ctx: DayCloseContext,
  { budget, ...ref }: BranchRef & { budget: Budget },
): Promise<BranchRun> {
  const { tenantId, branchId } = ref;
  const state = await ctx.dayClose.closeState(tenantId, branchId);
  if (!state) return { status: 'done' };
  if (state.closing) {
    const manual = await finishClose(ctx, {
      tenantId,
      branchId,
      close: state.closing,
      budget,
      retentionHours: state.contactRetentionHours,
    });
    if (!manual.done) return { status: 'more', progressed: manual.progressed };
  }
  const finishedManual = state.closing && { manual: true as const };
  const done = (closed?: BranchClosed): BranchRun => ({
    status: 'done',
    ...(closed && { closed }),
    ...finishedManual,
  });
  if (!state.due || state.due.dueAt > ctx.now.toISOString()) return done();
  let setup: BranchSetup;
  try {
    setup = await ctx.setups.load(tenantId, branchId);
  } catch (error) {
    if (error instanceof NotFoundError) return done();
    throw error;
  }
  const { branch } = setup;
  const today = businessDayOf(ctx.now, branch.timezone, branch.resetHour);
  const ended = await expireOpenTickets(ctx, {
    tenantId,
    branchId,
    beforeDay: today,
    budget,
    retentionHours: branch.contactRetentionHours,
  });
  if (ended.failure) throw ended.failure.error;
  if (!ended.complete)
    return { status: 'more', progressed: ended.expired + ended.finished > 0, ...finishedManual };
  const closedThrough = addDays(today, -1);
  // A due entry that was early (a manual close, or the branch's zone or resetHour changed) only moves on.
  const nothingNew = state.lastClosedDay !== null && closedThrough <= state.lastClosedDay;
  const lastClosedDay = nothingNew ? state.lastClosedDay! : closedThrough;
  const rolledUpDays = nothingNew
    ? 0
    : await ctx.dayClose.rollUpDays(
        tenantId,
        branchId,
        state.lastClosedDay && addDays(state.lastClosedDay, 1),
        closedThrough,
      );
  const nextDueAt = businessDayEnd(today, branch.timezone, branch.resetHour);
  const due = { ...ref, dueSk: state.due.dueSk };
  if (!(await ctx.dayClose.markClosed(due, { lastClosedDay, nextDueAt, now: ctx.now })) || nothingNew)
    return done();
  return done({ ...ref, closedThrough, ...ended, rolledUpDays });
}

export interface BranchFailure extends BranchRef {
  error: unknown;
}

export interface BranchesClosed {
  closed: BranchClosed[];
  /** Manual closes left pending that these runs finished. */
  manual: number;
  failed: BranchFailure[];
}

/** A run that has not moved the close on (nothing ended, nothing restarted) is a failure, not a loop. */
export class CloseStalled extends Error {
  constructor() {
    super('The close made no progress within its time budget');
    this.name = 'CloseStalled';
  }
}

/** How closes run in one process. */
export interface InProcess {
  /** Branches closed at once. */
  concurrency: number;
  /** The time budget of each run of a branch's close. */
  budgetMs: number;
}

/**
 * Closes branches in this process, `concurrency` at a time, each run on (budget after budget)
 * until done. Branches are isolated: one whose close fails is reported in `failed` and the
 * others still close.
 */
export async function closeBranches(
  ctx: DayCloseContext,
  { branches, concurrency, budgetMs }: InProcess & { branches: readonly BranchRef[] },
): Promise<BranchesClosed> {
  const result: BranchesClosed = { closed: [], manual: 0, failed: [] };
  await mapBounded(branches, concurrency, async (ref) => {
    try {
      for (;;) {
        const run = await closeBranch(ctx, { ...ref, budget: timeBudget(budgetMs) });
        if (run.manual) result.manual++;
        if (run.status === 'done') {
          if (run.closed) result.closed.push(run.closed);
          return;
        }
        if (!run.progressed) throw new CloseStalled();
      }
    } catch (error) {
      result.failed.push({ ...ref, error });
    }
  });
  return result;
}

/**
 * The nightly reset (docs/rules.md#day-close), run hourly, in one process: every branch whose
 * close is due at `ctx.now` — found through the `due` index, so the cost follows the branches
 * due, not the data — across tenants, closed by closeBranches.
 */
export async function nightlyReset(
  ctx: DayCloseContext,
  options: InProcess,
): Promise<BranchesClosed & { due: number }> {
  const due = await ctx.dayClose.dueBranches(ctx.now);
  return { due: due.length, ...(await closeBranches(ctx, { ...options, branches: due })) };
}
