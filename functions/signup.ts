import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { dynamoTenantStore } from '#core/adapters/dynamo/tenant-store';
import { mailer } from '#core/adapters/mail/mailer';
import { signupRoute } from '#core/contract/routes/identity/signup';
import { signup } from '#core/usecases/identity/signup';
import { publicEndpoint } from './commons/http';

/** Where the verification link points: the web app's page that posts the token. */
const verifyUrl = () => `${process.env.APP_URL ?? 'http://localhost:3000'}/verify-email`;

export const handler = publicEndpoint(
  signupRoute,
  async (req) => ({
    status: 201,
    body: await signup(
      { tenants: dynamoTenantStore, mailer: mailer(req.log), verifyUrl: verifyUrl() },
      req.body,
      req.now,
    ),
  }),
  { rateLimit: countRequest },
);
