import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { callNextRoute } from '#core/contract/routes/tickets/call-next';
import { callNext } from '#core/usecases/tickets/call-next';
import { endpoint } from './commons/auth';
import { recoverTicket, ticketContext } from './commons/tickets';

export const handler = endpoint(
  callNextRoute,
  async (req) => {
    const ticket = await callNext(ticketContext(req), req.params.branchId, req.params.counterId);
    return ticket ? { status: 200, body: { ticket } } : { status: 204 };
  },
  { idempotency: dynamoIdempotencyStore, recover: recoverTicket },
);
