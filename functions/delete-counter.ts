import { deleteCounter } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';

export const handler = endpoint(setupRoutes.deleteCounter, async (req) => {
  await deleteCounter(counterContext(req), req.params);
  return { status: 204 };
});
