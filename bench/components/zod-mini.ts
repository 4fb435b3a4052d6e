import * as z from 'zod/mini';

/** Cold-start component: zod/mini itself with one small schema (compare zod-routes: our schemas). */
const Body = z.strictObject({ queueId: z.string().check(z.regex(/^[0-9A-Z]{26}$/)) });

export const handler = async (event: { body?: string }) => ({
  statusCode: Body.safeParse(JSON.parse(event.body ?? '{}')).success ? 200 : 400,
});
