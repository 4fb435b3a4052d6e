import { dynamoTenantStore } from '#core/adapters/dynamo/tenant-store';
import { verifyEmailRoute } from '#core/contract/routes/identity/verify-email';
import { verifyEmail } from '#core/usecases/identity/verify-email';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(verifyEmailRoute, async (req) => ({
  status: 200,
  body: await verifyEmail({ tenants: dynamoTenantStore }, req.body, req.now),
}));
