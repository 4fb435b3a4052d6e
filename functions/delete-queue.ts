import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { deleteQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.deleteQueue, async (req) => {
  await deleteQueue(dynamoQueueRepository, req.actor, req.params.branchId, req.params.queueId, req.now);
  return { status: 204 };
});
