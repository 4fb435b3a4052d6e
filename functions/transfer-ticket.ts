import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { transferTicketRoute } from '#core/contract/routes/tickets/transfer-ticket';
import { transferTicket } from '#core/usecases/tickets/ticket-actions';
import { endpoint } from './commons/auth';
import { recoverTicket, ticketContext } from './commons/tickets';

export const handler = endpoint(
  transferTicketRoute,
  async (req) => ({
    status: 200,
    body: {
      ticket: await transferTicket(ticketContext(req), req.params.branchId, req.params.ticketId, req.body),
    },
  }),
  { idempotency: dynamoIdempotencyStore, recover: recoverTicket },
);
