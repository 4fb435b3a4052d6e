import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { signup } from '#core/usecases/identity/signup';
import * as identityRoutes from '#infra/routes/identity';
import { signupContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  identityRoutes.signup,
  async (req) => ({
    status: 201,
    body: await signup(signupContext(req), req.body),
  }),
  { rateLimit: countRequest },
);
