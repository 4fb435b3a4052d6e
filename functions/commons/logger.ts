import { Logger } from '@aws-lambda-powertools/logger';

/**
 * An error as logged: its name, message, stack and cause, nothing else. Powertools would log
 * every other attribute too, and those may carry stored items — a DynamoDB write whose condition
 * fails returns the item as it was — with a customer's contact data (docs/privacy.md).
 */
function bareError(error: Error): Error {
  const cause = error.cause instanceof Error ? { cause: bareError(error.cause) } : undefined;
  const bare = new Error(error.message, cause);
  bare.name = error.name;
  bare.stack = error.stack;
  return bare;
}

/**
 * One structured JSON logger per process. Bodies, tokens, passwords and customer contact data are
 * never logged.
 */
export const logger = new Logger({
  serviceName: 'queueline',
  logLevel: (process.env.LOG_LEVEL ?? 'info').toUpperCase() as 'INFO',
  jsonReplacerFn: (_key, value) => (value instanceof Error ? bareError(value) : value),
});

type Extra = Record<string, unknown>;

/** What a request logs through: every line carries the request's keys (request id, tenant id). */
export interface RequestLog {
  debug(message: string, extra?: Extra): void;
  info(message: string, extra?: Extra): void;
  warn(message: string, extra?: Extra): void;
  error(message: string, error?: Error): void;
  /** The same log with more keys. */
  with(keys: Extra): RequestLog;
}

/**
 * Keys go into each line rather than into a child Logger (a child per request re-reads its
 * settings and builds a Console: ~0.3 ms), nor into appendKeys (the local server runs requests
 * concurrently in one process, so process-wide keys would mix).
 */
export function requestLog(keys: Extra): RequestLog {
  return {
    debug: (message, extra) => logger.debug(message, { ...keys, ...extra }),
    info: (message, extra) => logger.info(message, { ...keys, ...extra }),
    warn: (message, extra) => logger.warn(message, { ...keys, ...extra }),
    error: (message, error) => logger.error(message, { ...keys, ...(error && { error }) }),
    with: (more) => requestLog({ ...keys, ...more }),
  };
}
