import { createPriority } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';

export const handler = endpoint(setupRoutes.createPriority, async (req) => ({
  status: 201,
  body: await createPriority(priorityContext(req), req.body),
}));
