import { deleteCounterRoute } from '#core/contract/routes/setup/delete-counter';
import { deleteCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';
import { counterContext } from './commons/context';

export const handler = endpoint(deleteCounterRoute, async (req) => {
  await deleteCounter(counterContext(req), req.params);
  return { status: 204 };
});
