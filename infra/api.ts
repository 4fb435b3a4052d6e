import { routes } from '#core/contract/index';
import { notFoundRoute } from '#core/contract/routes/system/not-found';
import { lambda } from './lambda';
import { closeQueue, sendToCloseQueue } from './queue';
import { cursorKey, signingKeys } from './secrets';
import { table, tableAccess } from './storage';

/**
 * The HTTP API: one Lambda per entry of THE route table (core/contract/index.ts) — this loop is
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
  const deploy = r.deploy ?? {};
  const route = api.route(
    `${r.method} ${r.path}`,
    lambda(r.function, {
      // The table link grants full access to it; a route with its own `deploy.dynamo` gets that instead.
      link: [...(deploy.dynamo ? [] : [table]), signingKeys, ...(r.paginated ? [cursorKey] : [])],
      environment: {
        TABLE_NAME: table.name,
        JWT_ISSUER: issuer,
        JWT_AUDIENCE: process.env.QUEUELINE_JWT_AUDIENCE ?? 'queueline-api',
        MAIL_FROM: mailFrom,
        APP_URL: appUrl,
        ...(deploy.sendsToCloseQueue && { CLOSE_QUEUE_URL: closeQueue.url }),
      },
      permissions: [
        ...(deploy.dynamo ? [tableAccess(deploy.dynamo)] : []),
        ...(deploy.sendsMail ? [{ actions: ['ses:SendEmail'], resources: [sesIdentities] }] : []),
        ...(deploy.sendsToCloseQueue ? [sendToCloseQueue] : []),
      ],
    }),
  );
  if (r.method === 'GET') api.route(`HEAD ${r.path}`, route.nodes.function.arn);
}

// Anything the table does not route: a problem+json 405 or 404 from our own handler.
api.route('$default', lambda(notFoundRoute.function));
