import { createCounter } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';

export const handler = endpoint(setupRoutes.createCounter, async (req) => ({
  status: 201,
  body: await createCounter(counterContext(req), { ...req.body, ...req.params }),
}));
