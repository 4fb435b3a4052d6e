import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicBranchRoute } from '#core/contract/routes/tickets/public-branch';
import { publicBranch } from '#core/usecases/tickets/remote-join';
import { remoteJoinContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  publicBranchRoute,
  async (req) => ({ status: 200, body: await publicBranch(remoteJoinContext(req), req.params) }),
  { rateLimit: countRequest },
);
