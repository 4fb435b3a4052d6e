import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { listPriorities } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listPriorities,
  async (req) => ({
    status: 200,
    body: await listPriorities(dynamoPriorityRepository, req.actor, req.query),
  }),
  { cursors: cursorSeal },
);
