import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { transferTicket } from '#core/usecases/tickets/ticket-actions';
import * as ticketRoutes from '#infra/routes/tickets';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';
import { recoverTicket } from './commons/tickets';

export const handler = endpoint(
  ticketRoutes.transferTicket,
  async (req) => ({
    status: 200,
    body: {
      ticket: await transferTicket(ticketContext(req), { ...req.body, ...req.params }),
    },
  }),
  { idempotency: dynamoIdempotencyStore, recover: recoverTicket },
);
