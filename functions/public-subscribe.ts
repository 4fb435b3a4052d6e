import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicSubscribeRoute } from '#core/contract/routes/tickets/public-subscribe';
import { subscribeToPush } from '#core/usecases/notify/sign-up';
import { signUpContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  publicSubscribeRoute,
  async (req) => ({
    status: 201,
    body: await subscribeToPush(signUpContext(req), { ...req.body, ...req.params }),
  }),
  { rateLimit: countRequest },
);
