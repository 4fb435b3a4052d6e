import * as z from 'zod/mini';
import { date, timestamp } from '#core/contract/schemas/common';

/** What the day-close routes answer. */

export const ClosedDay = z.object({ businessDay: date(), expired: z.int(), nextBusinessDay: date() }).check(
  z.meta({
    id: 'ClosedDay',
    description: 'The business day closed, tickets expired, and the day new tickets carry',
  }),
);
export type ClosedDay = z.output<typeof ClosedDay>;

export const CloseProgress = z
  .object({
    status: z.enum(['none', 'closing', 'closed']),
    businessDay: z.nullable(date()),
    expired: z.int(),
    startedAt: z.nullable(timestamp()),
    closedAt: z.nullable(timestamp()),
    nextBusinessDay: z.nullable(date()),
  })
  .check(
    z.meta({
      id: 'CloseProgress',
      description:
        'The manual close under way (`closing`: tickets expired so far), else the last one finished (`closed`), else `none`',
    }),
  );
export type CloseProgress = z.output<typeof CloseProgress>;
