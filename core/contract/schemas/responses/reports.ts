import * as z from 'zod/mini';
import { date, timestamp, ulid } from '#core/contract/schemas/common';
import { GROUP_BYS } from '#core/domain/report';

/** What the report routes answer. */

const nullableSeconds = (description: string) => z.nullable(z.number().check(z.meta({ description })));

const statsFields = () => ({
  issued: z
    .int()
    .check(z.meta({ description: 'Tickets issued (counter/agent groups: tickets they called first)' })),
  served: z.int().check(z.meta({ description: 'Tickets done' })),
  noShow: z.int(),
  cancelled: z.int(),
  expired: z.int(),
  avgWaitSeconds: nullableSeconds('Mean wait (first call − issue) of the tickets called; null when none'),
  p90WaitSeconds: nullableSeconds('90th percentile of the wait, from a histogram (within 30 s or 10 %)'),
  maxWaitSeconds: nullableSeconds('Longest wait'),
  avgServiceSeconds: nullableSeconds('Mean service time of done tickets; null when none'),
  withinTargetPct: nullableSeconds('Percent of called tickets whose wait met their priority’s target'),
  feedbackCount: z.int().check(z.meta({ description: 'Ratings customers gave the done tickets' })),
  avgRating: z.nullable(
    z.number().check(z.meta({ description: 'Mean rating (1–5, 2 decimals); null when none was given' })),
  ),
});

export const Stats = z
  .object(statsFields())
  .check(z.meta({ id: 'ReportStats', description: 'Figures of a report row' }));
export type Stats = z.output<typeof Stats>;

export const BranchReport = z
  .object({
    branchId: ulid('Branch id'),
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(GROUP_BYS),
    totals: Stats,
    groups: z.array(
      z.object({
        key: z
          .string()
          .check(z.meta({ description: 'Day, hour 00–23, or the id of the queue/priority/counter/agent' })),
        label: z.string(),
        ...statsFields(),
      }),
    ),
  })
  .check(z.meta({ id: 'BranchReport' }));
export type BranchReport = z.output<typeof BranchReport>;
export type GroupBy = BranchReport['groupBy'];

export const ReportsSummary = z
  .object({
    from: z.string(),
    to: z.string(),
    totals: Stats,
    branches: z.array(z.object({ branchId: ulid('Branch id'), name: z.string(), ...statsFields() })),
  })
  .check(z.meta({ id: 'ReportsSummary' }));
export type ReportsSummary = z.output<typeof ReportsSummary>;

const seconds = (description: string) => z.int().check(z.meta({ description }));

export const BranchToday = z
  .object({
    branchId: ulid('Branch id'),
    businessDay: date(),
    asOf: timestamp().check(
      z.meta({ description: 'The instant the figures are for (the waits count to it)' }),
    ),
    waitingNow: z.int().check(z.meta({ description: 'Tickets waiting in the branch now' })),
    longestWaitSeconds: z.nullable(
      seconds(
        'Longest current wait, counted from `queuedAt` (its place in its current line); null when nobody waits',
      ),
    ),
    servedToday: z.int().check(z.meta({ description: 'Tickets done this business day' })),
    withinTargetPct: z.nullable(
      z
        .number()
        .check(z.meta({ description: 'Percent of the tickets called today whose wait met their target' })),
    ),
    overdueCount: z.int().check(
      z.meta({
        description: 'Waiting tickets past their priority’s target (all of them; `overdue` lists ≤ 50)',
      }),
    ),
    overdue: z.array(
      z.object({
        ticketId: ulid('Ticket id'),
        code: z.string(),
        queueId: ulid('Queue id'),
        queueName: z.string(),
        priorityId: ulid('Priority id'),
        queuedAt: timestamp(),
        waitedSeconds: seconds('Now − queuedAt'),
        targetWaitMinutes: z.int(),
      }),
    ),
    counters: z.array(
      z.object({
        id: ulid('Counter id'),
        name: z.string(),
        current: z.nullable(
          z.object({ code: z.string(), status: z.enum(['called', 'serving']), calledAt: timestamp() }),
        ),
        agent: z.nullable(
          z.object({ id: ulid('User id'), fullName: z.string() }).check(
            z.meta({
              description: 'Who called the counter’s current ticket; null when the counter is free',
            }),
          ),
        ),
      }),
    ),
  })
  .check(z.meta({ id: 'BranchToday', description: 'The manager’s live view of a branch today' }));
export type BranchToday = z.output<typeof BranchToday>;
