import { listBranchesRoute } from '#core/contract/routes/setup/list-branches';
import { listBranches } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';
import { branchContext } from './commons/context';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listBranchesRoute,
  async (req) => ({
    status: 200,
    body: await listBranches(branchContext(req), req.query),
  }),
  { cursors: cursorSeal },
);
