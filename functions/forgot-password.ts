import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { forgotPasswordRoute } from '#core/contract/routes/identity/forgot-password';
import { forgotPassword } from '#core/usecases/identity/forgot-password';
import { forgotPasswordContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(
  forgotPasswordRoute,
  async (req) => {
    const outcome = await forgotPassword(forgotPasswordContext(req), req.body);
    if (outcome === 'mail-failed') req.log.warn('the password reset mail could not be sent');
    return { status: 202, body: { accepted: true } };
  },
  { rateLimit: countRequest },
);
