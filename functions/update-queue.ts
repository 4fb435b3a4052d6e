import { updateQueueRoute } from '#core/contract/routes/setup/update-queue';
import { updateQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(updateQueueRoute, async (req) => ({
  status: 200,
  body: await updateQueue(queueContext(req), { ...req.body, ...req.params }),
}));
