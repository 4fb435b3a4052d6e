import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { reassignRoute } from '#core/contract/routes/tickets/reassign';
import { reassign } from '#core/usecases/tickets/reassign';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';

export const handler = endpoint(
  reassignRoute,
  async (req) => ({
    status: 200,
    body: await reassign(ticketContext(req), { ...req.body, ...req.params }),
  }),
  { idempotency: dynamoIdempotencyStore },
);
