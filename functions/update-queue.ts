import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { updateQueueRoute } from '#core/contract/routes/setup/update-queue';
import { updateQueue } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';

export const handler = endpoint(updateQueueRoute, async (req) => {
  const { branchId, queueId } = req.params;
  return {
    status: 200,
    body: await updateQueue(dynamoQueueRepository, req.actor, branchId, queueId, req.body, req.now),
  };
});
