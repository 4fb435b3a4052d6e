import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { deletePriorityRoute } from '#core/contract/routes/setup/delete-priority';
import { deletePriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';

export const handler = endpoint(deletePriorityRoute, async (req) => {
  await deletePriority(dynamoPriorityRepository, req.actor, req.params.priorityId, req.now);
  return { status: 204 };
});
