import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { deleteQueueRoute } from '#core/contract/routes/setup/delete-queue';
import { deleteQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';

export const handler = endpoint(deleteQueueRoute, async (req) => {
  await deleteQueue(dynamoQueueRepository, req.actor, req.params.branchId, req.params.queueId, req.now);
  return { status: 204 };
});
