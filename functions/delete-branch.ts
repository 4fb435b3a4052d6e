import { deleteBranchRoute } from '#core/contract/routes/setup/delete-branch';
import { deleteBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(deleteBranchRoute, async (req) => {
  await deleteBranch(branchContext(req), req.params);
  return { status: 204 };
});
