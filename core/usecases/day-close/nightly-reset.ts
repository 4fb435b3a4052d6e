import { addDays, businessDayEnd, businessDayOf } from '../../domain/business-day';
import { NotFoundError } from '../../domain/errors';
import type { BranchSetup } from '../../domain/setup';
import type { DayCloseStore, DueBranch } from '../../ports/day-close';
import type { TicketStore } from '../../ports/tickets';
import { expireOpenTickets } from './expire-open';

export interface NightlyContext {
  at: Date;
  store: TicketStore;
  dayClose: DayCloseStore;
  loadSetup(tenantId: string, branchId: string): Promise<BranchSetup>;
}

export interface BranchClosed {
  tenantId: string;
  branchId: string;
  closedThrough: string;
  expired: number;
  finished: number;
  rolledUpDays: number;
}

/**
 * The nightly reset (SPEC §7), run hourly: every branch whose current business day has ended
 * by `at` — found through the `due` index, so the cost follows the branches due, not the data —
 * gets the days before its new business day closed: unfinished tickets of those days end,
 * their figures are rolled up, and its due entry moves to the end of the new day. Tickets of the
 * new business day are never touched. Every step is conditional or idempotent: running twice
 * finds nothing the second time; a run cut off part-way is completed by the next one.
 */
export async function nightlyReset(ctx: NightlyContext): Promise<BranchClosed[]> {
  const due = await ctx.dayClose.dueBranches(ctx.at);
  const closed: BranchClosed[] = [];
  for (const branch of due) {
    const result = await closeDueBranch(ctx, branch);
    if (result) closed.push(result);
  }
  return closed;
}

async function closeDueBranch(ctx: NightlyContext, due: DueBranch): Promise<BranchClosed | undefined> {
  let setup: BranchSetup;
  try {
    setup = await ctx.loadSetup(due.tenantId, due.branchId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  const { branch } = setup;
  const today = businessDayOf(ctx.at, branch.timezone, branch.resetHour);
  const stores = { tickets: ctx.store, dayClose: ctx.dayClose };
  const { expired, finished } = await expireOpenTickets(stores, due.tenantId, due.branchId, today, ctx.at);
  const rolledUpDays = await ctx.dayClose.rollUpDaysBefore(due.tenantId, due.branchId, today);
  const nextDueAt = businessDayEnd(today, branch.timezone, branch.resetHour);
  const closedThrough = addDays(today, -1);
  // A due entry that was early (the branch's zone or resetHour changed) only moves on.
  const nothingNew = branch.lastClosedDay !== null && closedThrough <= branch.lastClosedDay;
  const lastClosedDay = nothingNew ? branch.lastClosedDay! : closedThrough;
  if (!(await ctx.dayClose.markClosed(due, { lastClosedDay, nextDueAt, now: ctx.at })) || nothingNew)
    return undefined;
  return { tenantId: due.tenantId, branchId: due.branchId, closedThrough, expired, finished, rolledUpDays };
}
