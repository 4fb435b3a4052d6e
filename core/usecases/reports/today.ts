import { businessDayOf } from '#core/domain/business-day';
import { waitingSortKey } from '#core/domain/call-order';
import { entriesBy, lineOf, waitingBelow } from '#core/domain/positions';
import { buildReport } from '#core/domain/report';
import { waitingCount } from '#core/domain/setup';
import type { TicketRecord } from '#core/domain/ticket';
import type { ReportStore } from '#core/ports/reports';
import type { SetupStore } from '#core/ports/setup';
import type { TicketStore } from '#core/ports/tickets';
import type { Agent, TodayStore } from '#core/ports/today';
import { type Caller, setupInScope } from '#core/usecases/scope';
import { counterCall } from '#core/usecases/tickets/board';

/** The overdue list names at most this many tickets (longest waits first); `overdueCount` counts them all. */
export const OVERDUE_LIST_LIMIT = 50;

/** What the manager's "today" runs on: the branch setup, the waiting index, the day's aggregates. */
export interface TodayContext extends Caller {
  setups: SetupStore;
  tickets: TicketStore;
  reports: ReportStore;
  today: TodayStore;
}

export interface OverdueTicket {
  ticketId: string;
  code: string;
  queueId: string;
  queueName: string;
  priorityId: string;
  queuedAt: string;
  waitedSeconds: number;
  targetWaitMinutes: number;
}

export interface Today {
  branchId: string;
  businessDay: string;
  asOf: string;
  waitingNow: number;
  longestWaitSeconds: number | null;
  servedToday: number;
  withinTargetPct: number | null;
  overdueCount: number;
  overdue: OverdueTicket[];
  counters: Array<{
    id: string;
    name: string;
    current: ReturnType<typeof counterCall>;
    agent: Agent | null;
  }>;
}

const MINUTE = 60_000;
const waitedMs = (t: TicketRecord, now: Date) => now.getTime() - Date.parse(t.queuedAt);
const isOverdue = (t: TicketRecord, now: Date) => waitedMs(t, now) > t.targetWaitMinutes * MINUTE;

/**
 * The manager's "today" of a branch (docs/rules.md#manager-today). Its cost follows the setup —
 * queues × ranks in use and counters — never the number of tickets:
 *
 * - waiting now: the queues' live counts (the setup read);
 * - served today and share within target: the business day's pre-aggregated report items;
 * - longest current wait and the overdue tickets: per queue × rank partition of the waiting
 *   index, one Query of the tickets queued before `now − target` (the smallest target of that
 *   rank's priorities; each ticket is then held to its own), at most OVERDUE_LIST_LIMIT, oldest
 *   first — the partition's head when any is overdue; else one Query (Limit 1) of the head.
 *   Waits count from `queuedAt`, the ticket's place in its current line: a ticket sent "to the
 *   back" by a transfer starts a new wait there. A partition with more overdue tickets than the
 *   list holds is counted by the line arithmetic of positions.ts (exact to the minute);
 * - the agent at each counter: the user serving its current ticket (two BatchGets).
 */
export async function today(ctx: TodayContext, { branchId }: { branchId: string }): Promise<Today> {
  const { tenantId } = ctx.actor;
  const { now } = ctx;
  const setup = await setupInScope(ctx, branchId);
  const { branch } = setup;
  const businessDay = businessDayOf(now, branch.timezone, branch.resetHour);
  const busy = setup.counters.flatMap((c) => (c.current ? [c.current.ticketId] : []));

  const partitions = async () => {
    const targets = await ctx.today.targetsByRank(tenantId);
    const fallback = Math.min(...targets.values(), ...setup.queues.map((q) => q.targetWaitMinutes));
    return Promise.all(
      setup.queues.flatMap((queue) =>
        [...queue.live.waitingByRank.keys()].map(async (rank) => {
          const cut = now.getTime() - (targets.get(rank) ?? fallback) * MINUTE;
          const before = waitingSortKey(new Date(cut).toISOString(), '');
          const past = await ctx.tickets.waiting(tenantId, queue.id, rank, {
            limit: OVERDUE_LIST_LIMIT,
            before,
          });
          const head = past[0] ?? (await ctx.tickets.waiting(tenantId, queue.id, rank, { limit: 1 }))[0];
          const overdue = past.filter((t) => isOverdue(t, now));
          let count = overdue.length;
          if (past.length === OVERDUE_LIST_LIMIT) {
            const line = lineOf(queue, rank);
            const counted =
              waitingBelow(line, entriesBy(line, cut - 1) + 1) +
              line.inserted.filter((k) => k < before).length;
            count = Math.max(count, counted);
          }
          return { queue, head, overdue, count };
        }),
      ),
    );
  };

  const [aggregates, servers, lines] = await Promise.all([
    ctx.reports.aggregates(tenantId, branchId, businessDay, businessDay),
    ctx.today.servers(tenantId, busy),
    partitions(),
  ]);
  const { totals } = buildReport(aggregates, 'day');
  const heads = lines.flatMap((l) => (l.head ? [waitedMs(l.head, now)] : []));
  const overdue = lines
    .flatMap(({ queue, overdue }) =>
      overdue.map(
        (t): OverdueTicket => ({
          ticketId: t.id,
          code: t.code,
          queueId: queue.id,
          queueName: queue.name,
          priorityId: t.priorityId,
          queuedAt: t.queuedAt,
          waitedSeconds: Math.floor(waitedMs(t, now) / 1000),
          targetWaitMinutes: t.targetWaitMinutes,
        }),
      ),
    )
    .sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.ticketId.localeCompare(b.ticketId));

  return {
    branchId,
    businessDay,
    asOf: now.toISOString(),
    waitingNow: setup.queues.reduce((sum, q) => sum + waitingCount(q.live), 0),
    longestWaitSeconds: heads.length > 0 ? Math.max(0, Math.floor(Math.max(...heads) / 1000)) : null,
    servedToday: totals.served,
    withinTargetPct: totals.withinTargetPct,
    overdueCount: lines.reduce((sum, l) => sum + l.count, 0),
    overdue: overdue.slice(0, OVERDUE_LIST_LIMIT),
    counters: setup.counters.map((c) => ({
      id: c.id,
      name: c.name,
      current: counterCall(c),
      agent: (c.current && servers.get(c.current.ticketId)) ?? null,
    })),
  };
}
