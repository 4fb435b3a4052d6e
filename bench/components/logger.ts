import { logger } from '#functions/commons/logger';

/** Cold-start component: the Powertools Logger instance every function creates at load. */
export const handler = async () => {
  logger.info('component');
  return { statusCode: 200 };
};
