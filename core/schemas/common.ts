import * as z from 'zod/mini';

/**
 * Building blocks of the API contract. zod/mini keeps every function bundle small.
 *
 * Every schema is exported as a `lazy` factory, never built at import: a Lambda imports its
 * route's area of the route table, and building every schema of that area (responses
 * included, which only the OpenAPI generator reads) used to be most of our own cold start.
 * A factory builds its schema on the first call and returns that same instance afterwards.
 */

/**
 * Memoises `build`: the first call builds, every later call returns the same value. Declared
 * free of side effects, so esbuild drops the factories of this file a bundle never references
 * (esbuild honours the annotation for calls in the same file only).
 */
/* @__NO_SIDE_EFFECTS__ */
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build() };
    return built.value;
  };
}

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const ulid = (description = 'ULID') =>
  z.string().check(z.regex(ULID_PATTERN), z.meta({ description, example: '01JD6Z3Q8M5V2X9K4T7R1N0B3C' }));

/** A trimmed, bounded, non-empty text. Every string of the API has an upper bound. */
export const text = (max: number, min = 1) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const timestamp = /* @__PURE__ */ lazy(() =>
  z.string().check(z.meta({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' })),
);
export const date = /* @__PURE__ */ lazy(() =>
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/), z.meta({ format: 'date', example: '2026-11-21' })),
);

/** Query integers arrive as strings. */
export const queryInt = (min: number, max: number, fallback: number) =>
  z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,6}$/)),
      z.pipe(z.transform(Number), z.int().check(z.minimum(min), z.maximum(max))),
    ),
    fallback,
  );

/** `limit` and `cursor`, to spread into a list route's query schema. */
export const pageQuery = () => ({
  limit: queryInt(1, 100, 50),
  cursor: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(2048),
        z.meta({ description: 'The `nextCursor` of the previous page of this very list (opaque, sealed)' }),
      ),
  ),
});

export const PageQuery = /* @__PURE__ */ lazy(() => z.strictObject(pageQuery()));

export const listOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

export const Problem = /* @__PURE__ */ lazy(() =>
  z
    .object({
      type: z.string(),
      title: z.string(),
      status: z.int(),
      detail: z.optional(z.string()),
      errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
    })
    .check(z.meta({ id: 'Problem', description: 'RFC 9457 problem details' })),
);

/** Action routes take no fields: no body, or `{}`. */
export const EmptyBody = /* @__PURE__ */ lazy(() => z.strictObject({}));

export const BranchParams = /* @__PURE__ */ lazy(() => z.strictObject({ branchId: ulid('Branch id') }));

/** PATCH bodies change at least one field: `{}` is a 400, the same on every resource. */
export const atLeastOneField = <S extends z.ZodMiniObject>(body: S) =>
  body.check(
    z.refine((value) => Object.keys(value as object).length > 0, 'Give at least one field to change'),
  );
