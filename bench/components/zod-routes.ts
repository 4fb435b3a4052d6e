import { ticketRoutes } from '../../infra/routes/tickets';

/**
 * Cold-start component: zod/mini plus the ticket route table as a ticket function imports it —
 * entries only, every schema deferred to its first read (infra/routes/define.ts).
 */
export const handler = async () => ({ statusCode: 200, body: String(Object.keys(ticketRoutes).length) });
