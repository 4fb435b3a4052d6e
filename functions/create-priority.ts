import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { createPriorityRoute } from '#core/contract/routes/setup/create-priority';
import { createPriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';

export const handler = endpoint(createPriorityRoute, async (req) => ({
  status: 201,
  body: await createPriority(dynamoPriorityRepository, req.actor, req.body, req.now),
}));
