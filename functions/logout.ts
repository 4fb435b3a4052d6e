import { dynamoSessionStore } from '#core/adapters/dynamo/session-store';
import { logout } from '#core/usecases/identity/logout';
import * as identityRoutes from '#infra/routes/identity';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(identityRoutes.logout, async (req) => {
  await logout({ sessions: dynamoSessionStore }, req.body, req.now);
  return { status: 204 };
});
