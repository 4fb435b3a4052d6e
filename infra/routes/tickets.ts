/** Ticket routes (SPEC §6). */
export const ticketRoutes = {};
