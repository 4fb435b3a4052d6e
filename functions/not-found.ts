import { NotFoundError } from '../core/domain/errors';
import { route } from '../infra/routes/define';
import { publicEndpoint } from './commons/http';

/**
 * Not a route of the table but the catch-all behind it: API Gateway's `$default` route
 * (infra/api.ts) and the local server's fallback, so that an unknown route is a problem+json
 * 404 (SPEC §3) rather than the gateway's own `{"message":"Not Found"}`.
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

export const handler = publicEndpoint(unknownRoute, async () => {
  throw new NotFoundError('Route');
});
