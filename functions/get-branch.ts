import { getBranch } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';

export const handler = endpoint(setupRoutes.getBranch, async (req) => ({
  status: 200,
  body: await getBranch(branchContext(req), req.params),
}));
