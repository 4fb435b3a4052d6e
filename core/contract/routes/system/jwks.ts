import { route } from '#core/contract/define';

export const jwksRoute = route({
  method: 'GET',
  path: '/.well-known/jwks.json',
  function: 'jwks',
  summary: 'Public keys that verify access tokens (current and previous)',
  tag: 'System',
  auth: 'none',
  responses: { 200: { description: 'JSON Web Key Set', schema: 'Jwks' } },
  // The public halves of the signing keys, from its environment; no table.
  deploy: { publishesJwks: true, dynamo: 'none' },
});
