import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicNotifyRoute } from '#core/contract/routes/tickets/public-notify';
import { signUpForMessages } from '#core/usecases/notify/sign-up';
import { signUpContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  publicNotifyRoute,
  async (req) => ({
    status: 200,
    body: await signUpForMessages(signUpContext(req), { ...req.body, ...req.params }),
    headers: { 'cache-control': 'no-store' },
  }),
  { rateLimit: countRequest },
);
