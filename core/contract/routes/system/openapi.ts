import { route } from '#core/contract/define';

export const openapiRoute = route({
  method: 'GET',
  path: '/openapi.json',
  function: 'openapi',
  summary: 'This API as an OpenAPI 3.1 document',
  tag: 'System',
  auth: 'none',
  responses: {
    200: { description: 'OpenAPI 3.1 document, generated from the route table', schema: 'OpenApiDocument' },
  },
  deploy: { dynamo: 'none' },
});
