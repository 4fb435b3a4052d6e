import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { signupRoute } from '#core/contract/routes/identity/signup';
import { signup } from '#core/usecases/identity/signup';
import { signupContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  signupRoute,
  async (req) => ({
    status: 201,
    body: await signup(signupContext(req), req.body),
  }),
  { rateLimit: countRequest },
);
