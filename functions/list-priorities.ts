import { listPrioritiesRoute } from '#core/contract/routes/setup/list-priorities';
import { listPriorities } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listPrioritiesRoute,
  async (req) => ({
    status: 200,
    body: await listPriorities(priorityContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
