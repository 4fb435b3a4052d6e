import { updateBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(setupRoutes.updateBranch, async (req) => ({
  status: 200,
  body: await updateBranch(branchContext(req), { ...req.body, ...req.params }),
}));
