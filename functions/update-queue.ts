import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { updateQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.updateQueue, async (req) => {
  const { branchId, queueId } = req.params;
  return {
    status: 200,
    body: await updateQueue(dynamoQueueRepository, req.actor, branchId, queueId, req.body, req.now),
  };
});
