import { dynamoLoginThrottle } from '#core/adapters/dynamo/login-throttle-store';
import { dynamoTenantStore } from '#core/adapters/dynamo/tenant-store';
import { login } from '#core/usecases/identity/login';
import * as identityRoutes from '#infra/routes/identity';
import { publicEndpoint } from './commons/http';
import { sessionDeps } from './commons/tokens';

const deps = { ...sessionDeps, tenants: dynamoTenantStore, throttle: dynamoLoginThrottle };

export const handler = publicEndpoint(identityRoutes.login, async (req) => ({
  status: 200,
  body: await login(deps, req.body, req.now),
}));
