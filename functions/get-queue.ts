import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { getQueueRoute } from '#core/contract/routes/setup/get-queue';
import { getQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';

export const handler = endpoint(getQueueRoute, async (req) => ({
  status: 200,
  body: await getQueue(dynamoQueueRepository, req.actor, req.params.branchId, req.params.queueId),
}));
