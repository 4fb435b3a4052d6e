import { deleteQueueRoute } from '#core/contract/routes/setup/delete-queue';
import { deleteQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(deleteQueueRoute, async (req) => {
  await deleteQueue(queueContext(req), req.params);
  return { status: 204 };
});
