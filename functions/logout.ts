import { dynamoSessionStore } from '#core/adapters/dynamo/session-store';
import { logoutRoute } from '#core/contract/routes/identity/logout';
import { logout } from '#core/usecases/identity/logout';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(logoutRoute, async (req) => {
  await logout({ sessions: dynamoSessionStore }, req.body, req.now);
  return { status: 204 };
});
