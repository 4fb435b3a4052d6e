import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { createQueue } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.createQueue, async (req) => ({
  status: 201,
  body: await createQueue(dynamoQueueRepository, req.actor, req.params.branchId, req.body, req.now),
}));
