import { createBranchRecord } from '#core/adapters/dynamo/branch-repository';
import { createBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.createBranch, async (req) => ({
  status: 201,
  body: await createBranch({ create: createBranchRecord }, req.actor, req.body, req.now),
}));
