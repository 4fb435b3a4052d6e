import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { deletePriority } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.deletePriority, async (req) => {
  await deletePriority(dynamoPriorityRepository, req.actor, req.params.priorityId, req.now);
  return { status: 204 };
});
