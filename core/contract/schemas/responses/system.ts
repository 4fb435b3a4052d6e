import * as z from 'zod/mini';

/** What health, keys and documentation answer. */

export const HealthOk = z.object({ status: z.literal('ok') });

export const HealthUnavailable = z.object({ status: z.literal('unavailable') });

export const Jwks = z.object({
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
});

export const OpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.looseObject({})),
});

/** Where the live channels are (docs/live.md); `url` is null where push is not deployed. */
export const LiveConfig = z.object({ url: z.nullable(z.string()), protocol: z.literal('queueline-live-1') });
