import { login } from '#core/usecases/identity/login';
import * as identityRoutes from '#infra/routes/identity';
import { loginContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(identityRoutes.login, async (req) => ({
  status: 200,
  body: await login(loginContext(req), req.body),
}));
