import { dayCloseRoutes } from './day-close';
import type { RouteDef } from './define';
import { identityRoutes } from './identity';
import { reportRoutes } from './reports';
import { setupRoutes } from './setup';
import { systemRoutes } from './system';
import { ticketRoutes } from './tickets';

/**
 * THE route table: every HTTP route of Queueline, once. sst.config.ts (one Lambda per entry),
 * the local server and the OpenAPI generator all read this list. Entries are grouped by area
 * in sibling files so that each Lambda bundle only carries the code of its own area, and an
 * entry's schemas are built on first read (see define.ts): importing the table builds none.
 */
export const routes: readonly RouteDef[] = [
  ...Object.values(systemRoutes),
  ...Object.values(identityRoutes as Record<string, RouteDef>),
  ...Object.values(setupRoutes as Record<string, RouteDef>),
  ...Object.values(ticketRoutes as Record<string, RouteDef>),
  ...Object.values(dayCloseRoutes as Record<string, RouteDef>),
  ...Object.values(reportRoutes as Record<string, RouteDef>),
];
