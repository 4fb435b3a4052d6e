import * as ticketRoutes from '#infra/routes/tickets';

/**
 * Cold-start component: zod/mini plus the ticket route table as a ticket function imports it —
 * its own entry alone (the others are shaken out), every schema deferred to its first read
 * (infra/routes/define.ts).
 */
export const handler = async () => ({ statusCode: 200, body: ticketRoutes.callNext.path });
