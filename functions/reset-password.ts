import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { resetPassword } from '#core/usecases/identity/reset-password';
import * as identityRoutes from '#infra/routes/identity';
import { resetPasswordContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  identityRoutes.resetPassword,
  async (req) => {
    await resetPassword(resetPasswordContext(req), req.body);
    return { status: 204 };
  },
  { rateLimit: countRequest },
);
