import { MAILING_FUNCTIONS, NOT_FOUND } from './functions';
import { lambda } from './lambda';
import { routes } from './routes';
import { signingKeys } from './secrets';
import { table } from './storage';

/**
 * The HTTP API: one Lambda per entry of THE route table (infra/routes/index.ts) — this loop is
 * the only place routes reach API Gateway. Handlers authenticate bearer tokens themselves
 * (aws-jwt-verify against the in-memory JWKS), so no API Gateway authorizer is attached.
 */
export const api = new sst.aws.ApiGatewayV2('Api', {
  cors: {
    allowOrigins: ['*'],
    allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match'],
    exposeHeaders: ['etag', 'retry-after', 'x-request-id', 'idempotent-replayed', 'www-authenticate'],
    maxAge: '1 day',
  },
});

/** Deploy-time settings, read from the deploying shell's environment. */
const mailFrom = process.env.QUEUELINE_MAIL_FROM ?? 'Queueline <no-reply@queueline.dev>';
const issuer = process.env.QUEUELINE_JWT_ISSUER ?? api.url;
/**
 * Base of the links in mails (`<APP_URL>/verify-email?token=…`, `<APP_URL>/#/reset-password?token=…`):
 * the web app once it exists.
 */
const appUrl = process.env.QUEUELINE_APP_URL ?? api.url;

/** SES identities of this account and region (the MAIL_FROM address or its domain must be verified). */
const sesIdentities = $interpolate`arn:aws:ses:${aws.getRegionOutput().region}:${aws.getCallerIdentityOutput().accountId}:identity/*`;

for (const r of routes) {
  api.route(
    `${r.method} ${r.path}`,
    lambda(r.function, {
      link: [table, signingKeys],
      environment: {
        TABLE_NAME: table.name,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: process.env.QUEUELINE_JWT_AUDIENCE ?? 'queueline-api',
        MAIL_FROM: mailFrom,
        APP_URL: appUrl,
      },
      permissions: MAILING_FUNCTIONS.has(r.function)
        ? [{ actions: ['ses:SendEmail'], resources: [sesIdentities] }]
        : [],
    }),
  );
}

// Anything the table does not route: a problem+json 404 from our own handler (SPEC §3).
api.route('$default', lambda(NOT_FOUND));
