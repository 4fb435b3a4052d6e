/** Organisation setup routes (SPEC §5). */
export const setupRoutes = {};
