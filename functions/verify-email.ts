import { dynamoTenantStore } from '#core/adapters/dynamo/tenant-store';
import { verifyEmail } from '#core/usecases/identity/verify-email';
import * as identityRoutes from '#infra/routes/identity';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(identityRoutes.verifyEmail, async (req) => ({
  status: 200,
  body: await verifyEmail({ tenants: dynamoTenantStore }, req.body, req.now),
}));
