import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { callNextRoute } from '#core/contract/routes/tickets/call-next';
import { callNext } from '#core/usecases/tickets/call-next';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';
import { requestMetrics } from './commons/metrics';
import { recoverTicket } from './commons/tickets';

export const handler = endpoint(
  callNextRoute,
  async (req) => {
    const ticket = await callNext(ticketContext(req), req.params);
    return ticket ? { status: 200, body: { ticket } } : { status: 204 };
  },
  { idempotency: dynamoIdempotencyStore, recover: recoverTicket, metrics: requestMetrics },
);
