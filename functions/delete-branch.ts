import { deleteBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(setupRoutes.deleteBranch, async (req) => {
  await deleteBranch(branchContext(req), req.params);
  return { status: 204 };
});
