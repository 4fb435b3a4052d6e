import { createQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(setupRoutes.createQueue, async (req) => ({
  status: 201,
  body: await createQueue(queueContext(req), { ...req.body, ...req.params }),
}));
