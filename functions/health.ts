import { databaseHealth } from '#core/adapters/dynamo/health';
import { healthRoute } from '#core/contract/routes/system/health';
import { publicEndpoint } from './commons/http';
import { UNAVAILABLE_RETRY_AFTER_SECONDS } from './commons/problem';

export const handler = publicEndpoint(healthRoute, async (req) => {
  const health = await databaseHealth();
  if (health.up) return { status: 200, body: { status: 'ok' } };
  req.log.warn('database unavailable', { error: health.error });
  return {
    status: 503,
    body: { status: 'unavailable' },
    headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
  };
});
