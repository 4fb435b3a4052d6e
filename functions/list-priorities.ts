import { listPriorities } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listPriorities,
  async (req) => ({
    status: 200,
    body: await listPriorities(priorityContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
