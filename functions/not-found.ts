import { MethodNotAllowedError, NotFoundError } from '#core/domain/errors';
import { route } from '#infra/routes/define';
import { routes } from '#infra/routes/index';
import { publicEndpoint } from './commons/http';
import { createRouter } from './commons/router';

/**
 * Not a route of the table but the catch-all behind it: API Gateway's `$default` route
 * (infra/api.ts) and the local server's fallback. A path of the table asked with another method
 * is a 405 whose `Allow` lists the methods it takes; any other path a 404 — both problem+json,
 * not the gateway's own `{"message":"Not Found"}`.
 */
export const unknownRoute = route({
  method: 'GET',
  path: '$default',
  function: 'not-found',
  summary: 'Any route the table does not have',
  tag: 'System',
  auth: 'none',
  responses: {},
});

const router = createRouter(routes);

export const handler = publicEndpoint(unknownRoute, async (request) => {
  const allowed = router.allowed(request.path);
  throw allowed.length > 0 ? new MethodNotAllowedError(allowed) : new NotFoundError('Route');
});
