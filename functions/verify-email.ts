import { verifyEmailRoute } from '#core/contract/routes/identity/verify-email';
import { verifyEmail } from '#core/usecases/identity/verify-email';
import { tenantContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(verifyEmailRoute, async (req) => ({
  status: 200,
  body: await verifyEmail(tenantContext(req), req.body),
}));
