import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { listQueues } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listQueues,
  async (req) => ({
    status: 200,
    body: await listQueues(dynamoQueueRepository, req.actor, req.params.branchId, req.query),
  }),
  { cursors: cursorSeal },
);
