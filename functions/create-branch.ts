import { createBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(setupRoutes.createBranch, async (req) => ({
  status: 201,
  body: await createBranch(branchContext(req), req.body),
}));
