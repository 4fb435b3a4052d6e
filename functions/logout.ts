import { logout } from '#core/usecases/identity/logout';
import * as identityRoutes from '#infra/routes/identity';
import { logoutContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(identityRoutes.logout, async (req) => {
  await logout(logoutContext(req), req.body);
  return { status: 204 };
});
