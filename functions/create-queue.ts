import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { createQueueRoute } from '#core/contract/routes/setup/create-queue';
import { createQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';

export const handler = endpoint(createQueueRoute, async (req) => ({
  status: 201,
  body: await createQueue(dynamoQueueRepository, req.actor, req.params.branchId, req.body, req.now),
}));
