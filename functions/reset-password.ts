import { dynamoPasswordResetStore } from '#core/adapters/dynamo/password-reset-store';
import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { resetPasswordRoute } from '#core/contract/routes/identity/reset-password';
import { resetPassword } from '#core/usecases/identity/reset-password';
import { publicEndpoint } from './commons/http';

const deps = { resets: dynamoPasswordResetStore, users: dynamoUserStore, requests: countRequest };

export const handler = publicEndpoint(
  resetPasswordRoute,
  async (req) => {
    await resetPassword(deps, req.body, req.now);
    return { status: 204 };
  },
  { rateLimit: countRequest },
);
