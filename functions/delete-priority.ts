import { deletePriorityRoute } from '#core/contract/routes/setup/delete-priority';
import { deletePriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';

export const handler = endpoint(deletePriorityRoute, async (req) => {
  await deletePriority(priorityContext(req), req.params);
  return { status: 204 };
});
