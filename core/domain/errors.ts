/**
 * Domain errors carry their HTTP meaning so that one middleware can turn any of them into
 * an RFC 9457 problem+json response. `code` becomes the last segment of the problem `type`.
 */
export interface FieldError {
  path: string;
  message: string;
}

export const PROBLEM_BASE = 'https://queueline.dev/problems/';

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly extra: {
      errors?: FieldError[];
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail ?? title);
    this.name = new.target.name;
  }

  get detail(): string | undefined {
    return this.message === this.title ? undefined : this.message;
  }
}

export class ValidationError extends DomainError {
  constructor(detail: string, errors: FieldError[] = []) {
    super(400, 'validation', 'Invalid request', detail, { errors });
  }
}

/** A body field naming something that does not exist: 400 with the field named. */
export const unknownReference = (field: string, what: string) =>
  new ValidationError(`${field} must be ${what}`, [{ path: `body.${field}`, message: `Must be ${what}` }]);

export class BadRequestError extends DomainError {
  constructor(code: string, detail: string) {
    super(400, code, 'Bad request', detail);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(detail = 'Missing or invalid credentials') {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'You are not allowed to do this', code = 'forbidden') {
    super(403, code, 'Forbidden', detail);
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'Resource') {
    super(404, 'not-found', 'Not found', `${what} not found`);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, detail: string) {
    super(409, code, 'Conflict', detail);
  }
}

/** A path the API has, with a method it does not take there: `Allow` lists the ones it takes. */
export class MethodNotAllowedError extends DomainError {
  constructor(allowed: readonly string[]) {
    super(405, 'method-not-allowed', 'Method not allowed', `This path takes ${allowed.join(', ')}`, {
      headers: { allow: allowed.join(', ') },
    });
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor(limitBytes: number) {
    super(413, 'payload-too-large', 'Payload too large', `The body must not exceed ${limitBytes} bytes`);
  }
}

export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number, detail = 'Too many requests') {
    super(429, 'rate-limited', 'Too many requests', detail, {
      retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)),
    });
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(detail = 'The service is busy, retry shortly', retryAfterSeconds = 1) {
    super(503, 'service-unavailable', 'Service unavailable', detail, { retryAfterSeconds });
  }
}
