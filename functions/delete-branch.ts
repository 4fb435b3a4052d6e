import { deleteBranchRecords } from '#core/adapters/dynamo/branch-repository';
import { loadBranchSetup } from '#core/adapters/dynamo/branch-setup';
import { deleteBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.deleteBranch, async (req) => {
  await deleteBranch(
    { loadSetup: loadBranchSetup, delete: deleteBranchRecords },
    req.actor,
    req.params.branchId,
    req.now,
  );
  return { status: 204 };
});
