import { loginRoute } from '#core/contract/routes/identity/login';
import { login } from '#core/usecases/identity/login';
import { loginContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(loginRoute, async (req) => ({
  status: 200,
  body: await login(loginContext(req), req.body),
}));
