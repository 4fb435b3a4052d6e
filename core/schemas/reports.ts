import * as z from 'zod/mini';
import {
  GROUP_BYS,
  isCalendarDate,
  MAX_REPORT_DAYS,
  REPORT_FORMATS,
  rangeProblem,
} from '#core/domain/report';
import { lazy, ulid } from './common';

/**
 * Reports (docs/rules.md#reports): query and response schemas, as `lazy` factories (see
 * core/schemas/common.ts).
 */

const day = (description: string) =>
  z
    .string()
    .check(
      z.regex(/^\d{4}-\d{2}-\d{2}$/, { abort: true }),
      z.refine(isCalendarDate, 'Not a calendar date'),
      z.meta({ format: 'date', description, example: '2026-11-21' }),
    );

const range = () => ({
  from: day('First business day of the report (branch-local, included)'),
  to: day(
    `Last business day of the report (included; from…to spans at most ${MAX_REPORT_DAYS} days, both included)`,
  ),
});

/** Runs only once both dates are valid: from ≤ to, at most 366 days counted inclusively. */
const validRange = () =>
  z.refine<{ from: string; to: string }>((q) => rangeProblem(q.from, q.to) === undefined, {
    message: `from must not be after to, and the range may span at most ${MAX_REPORT_DAYS} days`,
    path: ['to'],
  });

export const BranchReportQuery = /* @__PURE__ */ lazy(() =>
  z
    .strictObject({
      ...range(),
      groupBy: z._default(
        z
          .enum(GROUP_BYS)
          .check(
            z.meta({ description: 'One row per day, queue, priority, counter, agent or hour of issue' }),
          ),
        'day',
      ),
      format: z._default(
        z
          .enum(REPORT_FORMATS)
          .check(z.meta({ description: '`csv` answers text/csv (an attachment) with the same figures' })),
        'json',
      ),
    })
    .check(validRange()),
);

export const SummaryQuery = /* @__PURE__ */ lazy(() => z.strictObject(range()).check(validRange()));

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
});

export const Stats = /* @__PURE__ */ lazy(() =>
  z.object(statsFields()).check(z.meta({ id: 'ReportStats', description: 'Figures of a report row' })),
);

export const BranchReport = /* @__PURE__ */ lazy(() =>
  z
    .object({
      branchId: ulid('Branch id'),
      from: z.string(),
      to: z.string(),
      groupBy: z.enum(GROUP_BYS),
      totals: Stats(),
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
    .check(z.meta({ id: 'BranchReport' })),
);

export const ReportsSummary = /* @__PURE__ */ lazy(() =>
  z
    .object({
      from: z.string(),
      to: z.string(),
      totals: Stats(),
      branches: z.array(z.object({ branchId: ulid('Branch id'), name: z.string(), ...statsFields() })),
    })
    .check(z.meta({ id: 'ReportsSummary' })),
);
