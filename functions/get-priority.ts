import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { getPriority } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.getPriority, async (req) => ({
  status: 200,
  body: await getPriority(dynamoPriorityRepository, req.actor, req.params.priorityId),
}));
