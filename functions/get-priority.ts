import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { getPriorityRoute } from '#core/contract/routes/setup/get-priority';
import { getPriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';

export const handler = endpoint(getPriorityRoute, async (req) => ({
  status: 200,
  body: await getPriority(dynamoPriorityRepository, req.actor, req.params.priorityId),
}));
