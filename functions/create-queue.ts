import { createQueueRoute } from '#core/contract/routes/setup/create-queue';
import { createQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';

export const handler = endpoint(createQueueRoute, async (req) => ({
  status: 201,
  body: await createQueue(queueContext(req), { ...req.body, ...req.params }),
}));
