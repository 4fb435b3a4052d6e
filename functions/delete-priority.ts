import { deletePriority } from '#core/usecases/setup/priorities';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';

export const handler = endpoint(setupRoutes.deletePriority, async (req) => {
  await deletePriority(priorityContext(req), req.params);
  return { status: 204 };
});
