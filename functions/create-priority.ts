import { createPriorityRoute } from '#core/contract/routes/setup/create-priority';
import { createPriority } from '#core/usecases/setup/priorities';
import { endpoint } from './commons/auth';
import { priorityContext } from './commons/context';

export const handler = endpoint(createPriorityRoute, async (req) => ({
  status: 201,
  body: await createPriority(priorityContext(req), req.body),
}));
