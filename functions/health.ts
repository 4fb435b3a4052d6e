import { databaseHealth } from '#core/adapters/dynamo/health';
import * as systemRoutes from '#infra/routes/system';
import { publicEndpoint } from './commons/http';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './commons/problem';

export const handler = publicEndpoint(systemRoutes.health, async (req) => {
  const health = await databaseHealth();
  if (health.up) return { status: 200, body: { status: 'ok' } };
  req.log.warn('database unavailable', { error: health.error });
  return {
    status: 503,
    body: { status: 'unavailable' },
    headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  };
});
