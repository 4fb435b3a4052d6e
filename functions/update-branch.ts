import { getBranchRecord, updateBranchRecord } from '#core/adapters/dynamo/branch-repository';
import { updateBranchRoute } from '#core/contract/routes/setup/update-branch';
import { updateBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';

export const handler = endpoint(updateBranchRoute, async (req) => ({
  status: 200,
  body: await updateBranch(
    { get: getBranchRecord, update: updateBranchRecord },
    req.actor,
    req.params.branchId,
    req.body,
    req.now,
  ),
}));
