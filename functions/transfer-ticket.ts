import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { transferTicketRoute } from '#core/contract/routes/tickets/transfer-ticket';
import { transferTicket } from '#core/usecases/tickets/ticket-actions';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';
import { recoverTicket } from './commons/tickets';

export const handler = endpoint(
  transferTicketRoute,
  async (req) => ({
    status: 200,
    body: {
      ticket: await transferTicket(ticketContext(req), { ...req.body, ...req.params }),
    },
  }),
  { idempotency: dynamoIdempotencyStore, recover: recoverTicket },
);
