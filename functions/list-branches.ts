import { listBranches } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listBranches,
  async (req) => ({
    status: 200,
    body: await listBranches(branchContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
