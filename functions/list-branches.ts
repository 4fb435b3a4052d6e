import { listBranchRecords } from '#core/adapters/dynamo/branch-repository';
import { listBranchesRoute } from '#core/contract/routes/setup/list-branches';
import { listBranches } from '#core/usecases/setup/branches';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listBranchesRoute,
  async (req) => ({
    status: 200,
    body: await listBranches({ list: listBranchRecords }, req.actor, req.query, req.now),
  }),
  { cursors: cursorSeal },
);
