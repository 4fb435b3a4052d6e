import { listQueuesRoute } from '#core/contract/routes/setup/list-queues';
import { listQueues } from '#core/usecases/setup/queues';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listQueuesRoute,
  async (req) => ({
    status: 200,
    body: await listQueues(queueContext(req), { ...req.query, ...req.params }),
  }),
  { cursors: cursorSeal },
);
