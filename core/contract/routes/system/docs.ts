import { route } from '#core/contract/define';

export const docsRoute = route({
  method: 'GET',
  path: '/docs',
  function: 'docs',
  summary: 'Interactive API documentation (Swagger UI)',
  tag: 'System',
  auth: 'none',
  responses: { 200: { description: 'Swagger UI page reading /openapi.json', contentType: 'text/html' } },
  deploy: { dynamo: 'none' },
});
