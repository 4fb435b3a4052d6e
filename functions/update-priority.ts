import { updatePriorityRoute } from '#core/contract/routes/setup/update-priority';
import { updatePriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';

export const handler = endpoint(updatePriorityRoute, async (req) => ({
  status: 200,
  body: await updatePriority(priorityContext(req), { ...req.body, ...req.params }),
}));
