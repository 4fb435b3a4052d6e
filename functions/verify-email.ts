import { verifyEmail } from '#core/usecases/identity/verify-email';
import * as identityRoutes from '#infra/routes/identity';
import { tenantContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(identityRoutes.verifyEmail, async (req) => ({
  status: 200,
  body: await verifyEmail(tenantContext(req), req.body),
}));
