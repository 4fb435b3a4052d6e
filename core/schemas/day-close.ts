import * as z from 'zod/mini';
import { date, lazy } from './common';

export const ClosedDay = /* @__PURE__ */ lazy(() =>
  z.object({ businessDay: date(), expired: z.int(), nextBusinessDay: date() }).check(
    z.meta({
      id: 'ClosedDay',
      description: 'The business day closed, tickets expired, and the day new tickets carry',
    }),
  ),
);
