import { dynamoLoginThrottle } from '#core/adapters/dynamo/login-throttle-store';
import { dynamoTenantStore } from '#core/adapters/dynamo/tenant-store';
import { loginRoute } from '#core/contract/routes/identity/login';
import { login } from '#core/usecases/identity/login';
import { publicEndpoint } from './commons/http';
import { sessionDeps } from './commons/tokens';

const deps = { ...sessionDeps, tenants: dynamoTenantStore, throttle: dynamoLoginThrottle };

export const handler = publicEndpoint(loginRoute, async (req) => ({
  status: 200,
  body: await login(deps, req.body, req.now),
}));
