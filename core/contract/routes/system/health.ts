import { route } from '#core/contract/define';

export const healthRoute = route({
  method: 'GET',
  path: '/health',
  function: 'health',
  summary: 'Health check: the API and its database answer',
  tag: 'System',
  auth: 'none',
  responses: {
    200: { description: 'The API and its database answer', schema: 'HealthOk' },
    503: {
      description:
        'The database does not answer (checked at most every 5 s per instance); retry after `Retry-After` seconds',
      schema: 'HealthUnavailable',
      contentType: 'application/json',
      headers: { 'Retry-After': 'Seconds to wait before checking again' },
    },
  },
  // It reads one item to see the database answer, nothing else.
  deploy: { dynamo: { actions: ['dynamodb:GetItem'], table: true } },
});
