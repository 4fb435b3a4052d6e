import { getQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(setupRoutes.getQueue, async (req) => ({
  status: 200,
  body: await getQueue(queueContext(req), req.params),
}));
