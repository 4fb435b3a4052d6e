import { createBranchRoute } from '#core/contract/routes/setup/create-branch';
import { createBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(createBranchRoute, async (req) => ({
  status: 201,
  body: await createBranch(branchContext(req), req.body),
}));
