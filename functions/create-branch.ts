import { createBranchRecord } from '#core/adapters/dynamo/branch-repository';
import { createBranchRoute } from '#core/contract/routes/setup/create-branch';
import { createBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';

export const handler = endpoint(createBranchRoute, async (req) => ({
  status: 201,
  body: await createBranch({ create: createBranchRecord }, req.actor, req.body, req.now),
}));
