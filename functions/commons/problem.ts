import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { isTransient } from '../../core/adapters/dynamo/errors';
import { DomainError, PROBLEM_BASE, ServiceUnavailableError } from '../../core/domain/errors';
import type { RequestLog } from './logger';

/**
 * The one place errors become HTTP: a DomainError carries its status; DynamoDB contention
 * that outlived retries becomes 503 + Retry-After; anything else is a 500 that exposes nothing.
 */
export function problemResponse(error: unknown, log: RequestLog): APIGatewayProxyStructuredResultV2 {
  let problem: DomainError;
  if (error instanceof DomainError) problem = error;
  else if (isTransient(error)) {
    log.warn('dynamodb contention or throttling', { error: (error as Error)?.name });
    problem = new ServiceUnavailableError();
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
