import { listCountersRoute } from '#core/contract/routes/setup/list-counters';
import { listCounters } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listCountersRoute,
  async (req) => ({
    status: 200,
    body: await listCounters(counterContext(req), { ...req.query, ...req.params }),
  }),
  { cursors: cursorSeal },
);
