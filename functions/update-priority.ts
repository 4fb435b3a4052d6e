import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { updatePriority } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.updatePriority, async (req) => ({
  status: 200,
  body: await updatePriority(dynamoPriorityRepository, req.actor, req.params.priorityId, req.body, req.now),
}));
