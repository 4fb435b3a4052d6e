import { CLOSE_QUEUE_SENDERS, MAILING_FUNCTIONS, NOT_FOUND } from './functions';
import { lambda } from './lambda';
import { closeQueue, sendToCloseQueue } from './queue';
import { routes } from './routes';
import { cursorKey, signingKeys } from './secrets';
import { table } from './storage';

/**
 * The HTTP API: one Lambda per entry of THE route table (infra/routes/index.ts) — this loop is
 * the only place routes reach API Gateway. Handlers authenticate bearer tokens themselves
 * (aws-jwt-verify against the in-memory JWKS), so no API Gateway authorizer is attached. HTTP
 * API routes are per method: each GET route also gets a `HEAD` route to the same function, and
 * anything else falls to `$default`, which answers 405 (with `Allow`) for a known path, else 404.
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
  const route = api.route(
    `${r.method} ${r.path}`,
    lambda(r.function, {
      link: r.paginated ? [table, signingKeys, cursorKey] : [table, signingKeys],
      environment: {
        TABLE_NAME: table.name,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: process.env.QUEUELINE_JWT_AUDIENCE ?? 'queueline-api',
        MAIL_FROM: mailFrom,
        APP_URL: appUrl,
        ...(CLOSE_QUEUE_SENDERS.has(r.function) && { CLOSE_QUEUE_URL: closeQueue.url }),
      },
      permissions: [
        ...(MAILING_FUNCTIONS.has(r.function)
          ? [{ actions: ['ses:SendEmail'], resources: [sesIdentities] }]
          : []),
        ...(CLOSE_QUEUE_SENDERS.has(r.function) ? [sendToCloseQueue] : []),
      ],
    }),
  );
  if (r.method === 'GET') api.route(`HEAD ${r.path}`, route.nodes.function.arn);
}

// Anything the table does not route: a problem+json 405 or 404 from our own handler.
api.route('$default', lambda(NOT_FOUND));
