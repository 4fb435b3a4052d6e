import { route } from '#core/contract/define';

/**
 * Not a route of the table but the catch-all behind it: API Gateway's `$default` route and the
 * local server's fallback (functions/not-found.ts answers 405 or 404).
 */
export const notFoundRoute = route({
  method: 'GET',
  path: '$default',
  function: 'not-found',
  summary: 'Any route the table does not have',
  tag: 'System',
  auth: 'none',
  responses: {},
  deploy: { dynamo: 'none' },
});
