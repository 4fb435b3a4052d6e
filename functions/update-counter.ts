import { updateCounter } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';

export const handler = endpoint(setupRoutes.updateCounter, async (req) => ({
  status: 200,
  body: await updateCounter(counterContext(req), { ...req.body, ...req.params }),
}));
