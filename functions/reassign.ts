import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { reassign } from '#core/usecases/tickets/reassign';
import * as ticketRoutes from '#infra/routes/tickets';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';

export const handler = endpoint(
  ticketRoutes.reassign,
  async (req) => ({
    status: 200,
    body: await reassign(ticketContext(req), { ...req.body, ...req.params }),
  }),
  { idempotency: dynamoIdempotencyStore },
);
