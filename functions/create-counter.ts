import { createCounterRoute } from '#core/contract/routes/setup/create-counter';
import { createCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';

export const handler = endpoint(createCounterRoute, async (req) => ({
  status: 201,
  body: await createCounter(counterContext(req), { ...req.body, ...req.params }),
}));
