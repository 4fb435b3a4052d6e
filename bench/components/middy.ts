import middy from '@middy/core';

/** Cold-start component: @middy/core with an empty chain. */
export const handler = middy().handler(async () => ({ statusCode: 200 }));
