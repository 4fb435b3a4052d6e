import { ticketRoutes } from '../../infra/routes/tickets';

/** Cold-start component: zod/mini plus the ticket route table and its schemas, built at load. */
export const handler = async () => ({ statusCode: 200, body: String(Object.keys(ticketRoutes).length) });
