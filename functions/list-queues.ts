import { listQueues } from '#core/usecases/setup/queues';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { queueContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listQueues,
  async (req) => ({
    status: 200,
    body: await listQueues(queueContext(req), { ...req.query, ...req.params }),
  }),
  { cursors: cursorSeal },
);
