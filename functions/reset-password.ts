import { dynamoPasswordResetStore } from '#core/adapters/dynamo/password-reset-store';
import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { resetPassword } from '#core/usecases/identity/reset-password';
import * as identityRoutes from '#infra/routes/identity';
import { publicEndpoint } from './commons/http';

const deps = { resets: dynamoPasswordResetStore, users: dynamoUserStore, requests: countRequest };

export const handler = publicEndpoint(
  identityRoutes.resetPassword,
  async (req) => {
    await resetPassword(deps, req.body, req.now);
    return { status: 204 };
  },
  { rateLimit: countRequest },
);
