import { getCounterRoute } from '#core/contract/routes/setup/get-counter';
import { getCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';

export const handler = endpoint(getCounterRoute, async (req) => ({
  status: 200,
  body: await getCounter(counterContext(req), req.params),
}));
