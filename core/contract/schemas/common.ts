import * as z from 'zod/mini';

/**
 * Building blocks of the contract's schemas (zod/mini). Request schemas are built by functions
 * like these, called by the route entry that uses them; response schemas are values, in
 * ./responses/ (docs/performance.md §1 says why).
 */

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export const ulid = (description = 'ULID') =>
  z.string().check(z.regex(ULID_PATTERN), z.meta({ description, example: '01JD6Z3Q8M5V2X9K4T7R1N0B3C' }));

/** A trimmed, bounded, non-empty text. Every string of the API has an upper bound. */
export const text = (max: number, min = 1) => z.string().check(z.trim(), z.minLength(min), z.maxLength(max));

export const timestamp = () =>
  z.string().check(z.meta({ format: 'date-time', example: '2026-11-21T09:30:00.000Z' }));

export const date = () =>
  z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/), z.meta({ format: 'date', example: '2026-11-21' }));

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
export const pageQueryFields = () => ({
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

/** The query of a list route that takes no filter. */
export const pageQuery = () => z.strictObject(pageQueryFields());

export const listOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

/** Action routes take no fields: no body, or `{}`. */
export const emptyBody = () => z.strictObject({});

export const branchParams = () => z.strictObject({ branchId: ulid('Branch id') });

export const counterParams = () =>
  z.strictObject({ branchId: ulid('Branch id'), counterId: ulid('Counter id') });

/** PATCH bodies change at least one field: `{}` is a 400, the same on every resource. */
export const atLeastOneField = <S extends z.ZodMiniObject>(body: S) =>
  body.check(
    z.refine((value) => Object.keys(value as object).length > 0, 'Give at least one field to change'),
  );
