import * as z from 'zod/mini';
import { route } from './define';

export const systemRoutes = {
  health: route({
    method: 'GET',
    path: '/health',
    function: 'health',
    summary: 'Liveness check',
    tag: 'System',
    auth: 'none',
    responses: { 200: { description: 'The API is up', schema: z.object({ status: z.literal('ok') }) } },
  }),
  jwks: route({
    method: 'GET',
    path: '/.well-known/jwks.json',
    function: 'jwks',
    summary: 'Public keys that verify access tokens (current and previous)',
    tag: 'System',
    auth: 'none',
    responses: {
      200: {
        description: 'JSON Web Key Set',
        schema: z.object({
          keys: z.array(
            z.object({
              kty: z.string(),
              crv: z.string(),
              x: z.string(),
              y: z.string(),
              kid: z.string(),
              alg: z.string(),
              use: z.string(),
            }),
          ),
        }),
      },
    },
  }),
};
