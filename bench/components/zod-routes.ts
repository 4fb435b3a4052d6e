import { callNextRoute } from '#core/contract/routes/tickets/call-next';

/**
 * Cold-start component: zod/mini plus one entry of the route table as a ticket function imports
 * it: its own file, which builds its request schemas (core/contract/routes/tickets/call-next.ts).
 */
export const handler = async () => ({ statusCode: 200, body: callNextRoute.path });
