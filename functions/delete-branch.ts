import { deleteBranchRecords } from '#core/adapters/dynamo/branch-repository';
import { loadBranchSetup } from '#core/adapters/dynamo/branch-setup';
import { deleteBranchRoute } from '#core/contract/routes/setup/delete-branch';
import { deleteBranch } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';

export const handler = endpoint(deleteBranchRoute, async (req) => {
  await deleteBranch(
    { loadSetup: loadBranchSetup, delete: deleteBranchRecords },
    req.actor,
    req.params.branchId,
    req.now,
  );
  return { status: 204 };
});
