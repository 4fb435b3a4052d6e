import { dynamoPriorityRepository } from '#core/adapters/dynamo/priority-repository';
import { createPriority } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.createPriority, async (req) => ({
  status: 201,
  body: await createPriority(dynamoPriorityRepository, req.actor, req.body, req.now),
}));
