import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isTransient, isUnreachable } from '#core/adapters/dynamo/errors';
import { DomainError, PROBLEM_BASE, ServiceUnavailableError } from '#core/domain/errors';
import type { RequestLog } from './logger';

/**
 * Retry-After when the database is down or did not answer in time: an outage rarely ends within
 * a second, and /health caches what it saw for as long.
 */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The database did not answer (in time): 503 + Retry-After, never a 500. */
export const databaseUnavailable = () =>
  new ServiceUnavailableError(
    'The service is temporarily unavailable, retry shortly',
    UNAVAILABLE_RETRY_AFTER_SECONDS,
  );

/**
 * The one place errors become HTTP: a DomainError carries its status; DynamoDB contention
 * or throttling that outlived retries, and a database that is unreachable or too slow, become
 * 503 + Retry-After; anything else is a 500 that exposes nothing.
 */
export function problemResponse(error: unknown, log: RequestLog): APIGatewayProxyStructuredResultV2 {
  let problem: DomainError;
  if (error instanceof DomainError) problem = error;
  else if (isTransient(error)) {
    log.warn('dynamodb contention or throttling', { error: (error as Error)?.name });
    problem = new ServiceUnavailableError();
  } else if (isUnreachable(error)) {
    log.warn('dynamodb unreachable or too slow', { error: (error as Error)?.name });
    problem = databaseUnavailable();
  } else {
    log.error('unhandled error', error as Error);
    problem = new DomainError(500, 'internal', 'Internal server error', 'Something went wrong on our side');
  }
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json',
    ...problem.extra.headers,
  };
  if (problem.status === 401) headers['www-authenticate'] = 'Bearer';
  if (problem.extra.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(problem.extra.retryAfterSeconds);
  return {
    statusCode: problem.status,
    headers,
    body: JSON.stringify({
      type: `${PROBLEM_BASE}${problem.code}`,
      title: problem.title,
      status: problem.status,
      ...(problem.detail !== undefined && { detail: problem.detail }),
      ...(problem.extra.errors && problem.extra.errors.length > 0 && { errors: problem.extra.errors }),
    }),
  };
}
