import { getBranchRoute } from '#core/contract/routes/setup/get-branch';
import { getBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(getBranchRoute, async (req) => ({
  status: 200,
  body: await getBranch(branchContext(req), req.params),
}));
