import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { listPrioritiesRoute } from '#core/contract/routes/setup/list-priorities';
import { listPriorities } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listPrioritiesRoute,
  async (req) => ({
    status: 200,
    body: await listPriorities(dynamoPriorityRepository, req.actor, req.query),
  }),
  { cursors: cursorSeal },
);
