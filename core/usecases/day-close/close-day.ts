import { addDays, businessDayOf } from '../../domain/business-day';
import { ServiceUnavailableError } from '../../domain/errors';
import type { DayCloseStore } from '../../ports/day-close';
import { branchInScope, type TicketContext } from '../tickets/context';
import { expireOpenTickets } from './expire-open';

export interface ClosedDay {
  businessDay: string;
  expired: number;
  nextBusinessDay: string;
}

/**
 * Manual close-day (SPEC §7): restart numbering at 1 for every queue (a new close epoch is part
 * of every number key), then expire what still waits or is called and finish what is being
 * served — every unfinished ticket of the branch up to today. The business day itself goes
 * on: tickets issued afterwards carry the same `businessDay` (so `nextBusinessDay` is today),
 * and the nightly job still closes and rolls up the day when it ends.
 */
export async function closeDay(
  ctx: TicketContext & { dayClose: DayCloseStore },
  branchId: string,
): Promise<ClosedDay> {
  const { tenantId } = ctx.actor;
  let setup = await branchInScope(ctx, branchId);
  for (
    let attempt = 0;
    !(await ctx.dayClose.bumpCloseEpoch(tenantId, branchId, setup.branch.closeEpoch, ctx.now));
    attempt++
  ) {
    if (attempt >= 3)
      throw new ServiceUnavailableError('The branch is being closed concurrently; retry shortly');
    setup = await ctx.loadSetup(tenantId, branchId);
  }
  const { branch } = setup;
  const businessDay = businessDayOf(ctx.now, branch.timezone, branch.resetHour);
  const { expired } = await expireOpenTickets(
    { tickets: ctx.store, dayClose: ctx.dayClose },
    tenantId,
    branchId,
    addDays(businessDay, 1),
    ctx.now,
  );
  return { businessDay, expired, nextBusinessDay: businessDay };
}
