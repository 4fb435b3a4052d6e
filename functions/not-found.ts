import { notFoundRoute } from '#core/contract/routes/system/not-found';
import { MethodNotAllowedError, NotFoundError } from '#core/domain/errors';
import { publicEndpoint } from './commons/http';
import { createRouter } from './commons/router';

/**
 * The catch-all behind the route table: API Gateway's `$default` route (infra/api.ts) and the
 * local server's fallback. A path of the table asked with another method is a 405 whose `Allow`
 * lists the methods it takes; any other path a 404 — both problem+json, not the gateway's own
 * `{"message":"Not Found"}`. The table is imported on the first request, not at cold start
 * (docs/performance.md §1).
 */
let router: Promise<ReturnType<typeof createRouter>> | undefined;

export const handler = publicEndpoint(notFoundRoute, async (request) => {
  router ??= import('#core/contract/index').then(({ routes }) => createRouter(routes));
  const allowed = (await router).allowed(request.path);
  throw allowed.length > 0 ? new MethodNotAllowedError(allowed) : new NotFoundError('Route');
});
