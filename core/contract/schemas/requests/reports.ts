import * as z from 'zod/mini';
import {
  GROUP_BYS,
  isCalendarDate,
  MAX_REPORT_DAYS,
  REPORT_FORMATS,
  rangeProblem,
} from '#core/domain/report';

/** What the report routes take: a range of business days, and for a branch how to group it. */

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

export const branchReportQuery = () =>
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
    .check(validRange());

export const summaryQuery = () => z.strictObject(range()).check(validRange());
