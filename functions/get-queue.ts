import { getQueueRoute } from '#core/contract/routes/setup/get-queue';
import { getQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(getQueueRoute, async (req) => ({
  status: 200,
  body: await getQueue(queueContext(req), req.params),
}));
