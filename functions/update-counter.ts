import { updateCounterRoute } from '#core/contract/routes/setup/update-counter';
import { updateCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';

export const handler = endpoint(updateCounterRoute, async (req) => ({
  status: 200,
  body: await updateCounter(counterContext(req), { ...req.body, ...req.params }),
}));
