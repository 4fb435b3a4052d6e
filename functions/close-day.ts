import { dynamoDayCloseStore } from '../core/adapters/dynamo/day-close-store';
import { dynamoIdempotencyStore } from '../core/adapters/dynamo/idempotency-store';
import { closeDay } from '../core/usecases/day-close/close-day';
import * as dayCloseRoutes from '../infra/routes/day-close';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/tickets';

export const handler = endpoint(
  dayCloseRoutes.closeDay,
  async (req) => ({
    status: 200,
    body: await closeDay({ ...ticketContext(req), dayClose: dynamoDayCloseStore }, req.params.branchId),
  }),
  { idempotency: dynamoIdempotencyStore },
);
