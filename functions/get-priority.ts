import { getPriority } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';

export const handler = endpoint(setupRoutes.getPriority, async (req) => ({
  status: 200,
  body: await getPriority(priorityContext(req), req.params),
}));
