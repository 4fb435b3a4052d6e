import { deleteQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(setupRoutes.deleteQueue, async (req) => {
  await deleteQueue(queueContext(req), req.params);
  return { status: 204 };
});
