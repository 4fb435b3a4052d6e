import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { remoteJoinRoute } from '#core/contract/routes/tickets/remote-join';
import { remoteJoin } from '#core/usecases/tickets/remote-join';
import { remoteJoinContext } from './commons/context';
import { publicEndpoint } from './commons/http';
import { requestMetrics } from './commons/metrics';

export const handler = publicEndpoint(
  remoteJoinRoute,
  async (req) => ({
    status: 201,
    body: await remoteJoin(remoteJoinContext(req), { ...req.body, ...req.params }),
    headers: { 'cache-control': 'no-store' },
  }),
  { rateLimit: countRequest, metrics: requestMetrics },
);
