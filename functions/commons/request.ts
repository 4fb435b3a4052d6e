import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { DomainError, type FieldError, PayloadTooLargeError, ValidationError } from '#core/domain/errors';

export const BODY_LIMIT_BYTES = 64 * 1024;
const MAX_DEPTH = 32;

/** The raw body as text: at most 64 KiB (or the route's own limit), valid UTF-8, or a 413/400. */
export function bodyText(event: APIGatewayProxyEventV2, limit = BODY_LIMIT_BYTES): string | undefined {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > limit) throw new PayloadTooLargeError(limit);
  if (!event.isBase64Encoded) return event.body;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError('The body is not valid UTF-8');
  }
}

/** A body must be labelled JSON: `application/json` or any `…/…+json`, parameters allowed; else a 415. */
export function assertJsonMediaType(contentType = ''): void {
  if (
    !/^(application\/json|[\w.-]+\/[\w.+-]+\+json)$/.test(contentType.split(';')[0]!.trim().toLowerCase())
  ) {
    throw new DomainError(415, 'unsupported-media-type', 'Unsupported media type');
  }
}

export function parseJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationError('The body is not valid JSON');
  }
  assertWellFormed(value, 'body', 0);
  return value;
}

/**
 * Lone surrogates survive JSON.parse but not DynamoDB, and pathological nesting costs CPU:
 * both are rejected before any schema runs.
 */
export function assertWellFormed(value: unknown, path: string, depth: number): void {
  if (depth > MAX_DEPTH)
    throw new ValidationError(`Nesting deeper than ${MAX_DEPTH} levels`, [
      { path, message: 'Too deeply nested' },
    ]);
  if (typeof value === 'string') {
    if (!value.isWellFormed())
      throw new ValidationError('Text must be valid Unicode', [{ path, message: 'Invalid Unicode' }]);
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) assertWellFormed(v, `${path}.${i}`, depth + 1);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      assertWellFormed(k, path, depth + 1);
      assertWellFormed(v, `${path}.${k}`, depth + 1);
    }
  }
}

type Issue = z.core.$ZodIssue;

function describe(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `Expected ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `Must be at least ${issue.minimum} characters`
        : issue.origin === 'array'
          ? `Must have at least ${issue.minimum} items`
          : `Must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `Must be at most ${issue.maximum} characters`
        : issue.origin === 'array'
          ? `Must have at most ${issue.maximum} items`
          : `Must be at most ${issue.maximum}`;
    case 'invalid_format':
      return issue.format === 'regex' ? 'Invalid format' : `Invalid ${issue.format}`;
    case 'invalid_value':
      return `Must be one of: ${issue.values.map(String).join(', ')}`;
    case 'not_multiple_of':
      return `Must be a multiple of ${issue.divisor}`;
    default:
      return issue.message && issue.message !== 'Invalid input' ? issue.message : 'Invalid value';
  }
}

export function fieldErrors(where: string, issues: readonly Issue[]): FieldError[] {
  return issues.flatMap((issue) => {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: `${base}.${key}`, message: 'Unknown field' }));
    }
    return [{ path: base, message: describe(issue) }];
  });
}

export function validate<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldErrors(where, result.error.issues);
    throw new ValidationError(
      `Invalid ${where}: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
      errors,
    );
  }
  return result.data;
}
