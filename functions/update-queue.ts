import { updateQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(setupRoutes.updateQueue, async (req) => ({
  status: 200,
  body: await updateQueue(queueContext(req), { ...req.body, ...req.params }),
}));
