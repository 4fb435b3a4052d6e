import { dynamoPasswordResetStore } from '#core/adapters/dynamo/password-reset-store';
import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { dynamoTenantStore } from '#core/adapters/dynamo/tenant-store';
import { dynamoUserStore } from '#core/adapters/dynamo/user-store';
import { mailer } from '#core/adapters/mail/mailer';
import { forgotPasswordRoute } from '#core/contract/routes/identity/forgot-password';
import { forgotPassword } from '#core/usecases/identity/forgot-password';
import { publicEndpoint } from './commons/http';

/** The web app's page that takes the token: a hash route, so any static host serves it. */
const resetUrl = () =>
  `${(process.env.APP_URL ?? 'http://localhost:3000').replace(/\/+$/, '')}/#/reset-password`;

const stores = {
  tenants: dynamoTenantStore,
  users: dynamoUserStore,
  resets: dynamoPasswordResetStore,
  requests: countRequest,
};

export const handler = publicEndpoint(
  forgotPasswordRoute,
  async (req) => {
    const outcome = await forgotPassword(
      { ...stores, mailer: mailer(req.log), resetUrl: resetUrl() },
      req.body,
      req.now,
    );
    if (outcome === 'mail-failed') req.log.warn('the password reset mail could not be sent');
    return { status: 202, body: { accepted: true } };
  },
  { rateLimit: countRequest },
);
