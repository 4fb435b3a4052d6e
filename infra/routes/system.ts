import * as z from 'zod/mini';
import { route } from './define';

/** Health, keys and documentation. Schemas are written inline, as functions: see define.ts. */
export const health = /* @__PURE__ */ route({
  method: 'GET',
  path: '/health',
  function: 'health',
  summary: 'Health check: the API and its database answer',
  tag: 'System',
  auth: 'none',
  responses: () => ({
    200: { description: 'The API and its database answer', schema: z.object({ status: z.literal('ok') }) },
    503: {
      description:
        'The database does not answer (checked at most every 5 s per instance); retry after `Retry-After` seconds',
      schema: z.object({ status: z.literal('unavailable') }),
      contentType: 'application/json',
      headers: { 'Retry-After': 'Seconds to wait before checking again' },
    },
  }),
});

export const jwks = /* @__PURE__ */ route({
  method: 'GET',
  path: '/.well-known/jwks.json',
  function: 'jwks',
  summary: 'Public keys that verify access tokens (current and previous)',
  tag: 'System',
  auth: 'none',
  responses: () => ({
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
  }),
});

export const openapi = /* @__PURE__ */ route({
  method: 'GET',
  path: '/openapi.json',
  function: 'openapi',
  summary: 'This API as an OpenAPI 3.1 document',
  tag: 'System',
  auth: 'none',
  responses: () => ({
    200: {
      description: 'OpenAPI 3.1 document, generated from the route table',
      schema: z.looseObject({
        openapi: z.string(),
        info: z.looseObject({ title: z.string(), version: z.string() }),
        paths: z.record(z.string(), z.looseObject({})),
      }),
    },
  }),
});

export const docs = /* @__PURE__ */ route({
  method: 'GET',
  path: '/docs',
  function: 'docs',
  summary: 'Interactive API documentation (Swagger UI)',
  tag: 'System',
  auth: 'none',
  responses: { 200: { description: 'Swagger UI page reading /openapi.json', contentType: 'text/html' } },
});

export const docsAsset = /* @__PURE__ */ route({
  method: 'GET',
  path: '/docs/{asset}',
  function: 'docs-asset',
  summary: 'Script and style files of the interactive documentation',
  tag: 'System',
  auth: 'none',
  params: () =>
    z.strictObject({
      asset: z
        .string()
        .check(z.maxLength(64), z.meta({ description: 'File name', example: 'swagger-ui.css' })),
    }),
  responses: {
    200: {
      description: 'The file (`text/css` or `text/javascript`), cacheable for a day',
      headers: { 'Cache-Control': 'Caching policy' },
    },
    404: { description: 'Not one of the documentation files' },
  },
});

/** The area's entries, for the table (index.ts); a function imports its own entry alone. */
export const systemRoutes = { health, jwks, openapi, docs, docsAsset };
