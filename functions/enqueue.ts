import { dynamoIdempotencyStore } from '#core/adapters/dynamo/idempotency-store';
import { enqueueRoute } from '#core/contract/routes/tickets/enqueue';
import { enqueue } from '#core/usecases/tickets/enqueue';
import { getTicket } from '#core/usecases/tickets/read-tickets';
import { endpoint } from './commons/auth';
import { ticketContext } from './commons/context';
import { requestMetrics } from './commons/metrics';

export const handler = endpoint(
  enqueueRoute,
  async (req) => ({
    status: 201,
    body: await enqueue(ticketContext(req), { ...req.body, ...req.params }),
  }),
  {
    idempotency: dynamoIdempotencyStore,
    metrics: requestMetrics,
    recover: async (req, ticketId) => ({
      status: 201,
      body: await getTicket(ticketContext(req), { branchId: req.params.branchId, ticketId }),
    }),
  },
);
