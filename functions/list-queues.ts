import { dynamoQueueRepository } from '#core/adapters/dynamo/queue-repository';
import { listQueuesRoute } from '#core/contract/routes/setup/list-queues';
import { listQueues } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listQueuesRoute,
  async (req) => ({
    status: 200,
    body: await listQueues(dynamoQueueRepository, req.actor, req.params.branchId, req.query),
  }),
  { cursors: cursorSeal },
);
