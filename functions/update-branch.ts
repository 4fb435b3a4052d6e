import { updateBranchRoute } from '#core/contract/routes/setup/update-branch';
import { updateBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(updateBranchRoute, async (req) => ({
  status: 200,
  body: await updateBranch(branchContext(req), { ...req.body, ...req.params }),
}));
