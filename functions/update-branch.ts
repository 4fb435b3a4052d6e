import { getBranchRecord, updateBranchRecord } from '#core/adapters/dynamo/branch-repository';
import { updateBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.updateBranch, async (req) => ({
  status: 200,
  body: await updateBranch(
    { get: getBranchRecord, update: updateBranchRecord },
    req.actor,
    req.params.branchId,
    req.body,
    req.now,
  ),
}));
