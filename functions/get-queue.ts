import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { getQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.getQueue, async (req) => ({
  status: 200,
  body: await getQueue(dynamoQueueRepository, req.actor, req.params.branchId, req.params.queueId),
}));
