import { listBranchRecords } from '#core/adapters/dynamo/branch-repository';
import { listBranches } from '#core/usecases/setup/branches';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listBranches,
  async (req) => ({
    status: 200,
    body: await listBranches({ list: listBranchRecords }, req.actor, req.query, req.now),
  }),
  { cursors: cursorSeal },
);
