import { logoutRoute } from '#core/contract/routes/identity/logout';
import { logout } from '#core/usecases/identity/logout';
import { logoutContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(logoutRoute, async (req) => {
  await logout(logoutContext(req), req.body);
  return { status: 204 };
});
