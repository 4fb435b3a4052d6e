import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured JSON logger per process. Requests log through a child carrying their request
 * id and tenant id (children, not appendKeys, because the local server runs requests
 * concurrently in one process). Bodies, tokens and passwords are never logged.
 */
export const logger = new Logger({
  serviceName: 'queueline',
  logLevel: (process.env.LOG_LEVEL ?? 'info').toUpperCase() as 'INFO',
});
