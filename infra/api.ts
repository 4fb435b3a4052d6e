import { routes } from '#core/contract/index';
import { notFoundRoute } from '#core/contract/routes/system/not-found';
import { contractFunction, type Wiring } from './access';
import { type StageConfig, throttledStage } from './stage';

/**
 * The HTTP API, on the stage's own domain when it has one. Handlers authenticate bearer tokens
 * themselves (aws-jwt-verify against the public JWKS they are given), so no API Gateway
 * authorizer is attached. The stage throttles the whole API (steady rate and burst per stage):
 * above it API Gateway answers 429 before any Lambda runs, which caps what a flood costs and
 * keeps it inside the account's Lambda concurrency.
 */
export function createApi(stage: StageConfig) {
  return new sst.aws.ApiGatewayV2('Api', {
    ...(stage.apiDomain && { domain: stage.apiDomain }),
    cors: {
      allowOrigins: ['*'],
      allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-none-match'],
      exposeHeaders: ['etag', 'retry-after', 'x-request-id', 'idempotent-replayed', 'www-authenticate'],
      maxAge: '1 day',
    },
    accessLog: { retention: stage.logRetention },
    transform: { stage: throttledStage(stage) },
  });
}

/**
 * One Lambda per entry of THE route table (core/contract/index.ts) — this loop is the only place
 * routes reach API Gateway —, each with what its entry's `deploy` asks for (infra/access.ts).
 * HTTP API routes are per method: each GET route also gets a `HEAD` route to the same function,
 * and anything else falls to `$default`, which answers 405 (with `Allow`) for a known path, else 404.
 */
export function addRoutes(api: sst.aws.ApiGatewayV2, w: Wiring) {
  for (const r of routes) {
    const route = api.route(`${r.method} ${r.path}`, contractFunction(r, w));
    if (r.method === 'GET') api.route(`HEAD ${r.path}`, route.nodes.function.arn);
  }
  // Anything the table does not route: a problem+json 405 or 404 from our own handler.
  api.route('$default', contractFunction(notFoundRoute, w));
}
