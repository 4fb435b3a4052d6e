import { listCounters } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listCounters,
  async (req) => ({
    status: 200,
    body: await listCounters(counterContext(req), { ...req.query, ...req.params }),
  }),
  { cursors: cursorSeal },
);
