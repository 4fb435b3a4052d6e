import { getBranchRecord } from '#core/adapters/dynamo/branch-repository';
import { getBranchRoute } from '#core/contract/routes/setup/get-branch';
import { getBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';

export const handler = endpoint(getBranchRoute, async (req) => ({
  status: 200,
  body: await getBranch({ get: getBranchRecord }, req.actor, req.params.branchId, req.now),
}));
