/** Identity and access routes (SPEC §4). */
export const identityRoutes = {};
