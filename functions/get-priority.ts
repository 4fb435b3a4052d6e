import { getPriorityRoute } from '#core/contract/routes/setup/get-priority';
import { getPriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';

export const handler = endpoint(getPriorityRoute, async (req) => ({
  status: 200,
  body: await getPriority(priorityContext(req), req.params),
}));
