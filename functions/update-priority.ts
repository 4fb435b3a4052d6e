import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { updatePriorityRoute } from '#core/contract/routes/setup/update-priority';
import { updatePriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';

export const handler = endpoint(updatePriorityRoute, async (req) => ({
  status: 200,
  body: await updatePriority(dynamoPriorityRepository, req.actor, req.params.priorityId, req.body, req.now),
}));
