import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { resetPasswordRoute } from '#core/contract/routes/identity/reset-password';
import { resetPassword } from '#core/usecases/identity/reset-password';
import { resetPasswordContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  resetPasswordRoute,
  async (req) => {
    await resetPassword(resetPasswordContext(req), req.body);
    return { status: 204 };
  },
  { rateLimit: countRequest },
);
