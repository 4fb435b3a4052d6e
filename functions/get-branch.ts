import { getBranchRecord } from '#core/adapters/dynamo/branch-repository';
import { getBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.getBranch, async (req) => ({
  status: 200,
  body: await getBranch({ get: getBranchRecord }, req.actor, req.params.branchId, req.now),
}));
