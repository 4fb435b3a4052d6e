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
 * in sibling files, one export each, created by `@__PURE__`-annotated calls: a function imports its
 * area as a namespace (`import * as ticketRoutes`) and its bundle keeps its own entry and the
 * schema factories that entry uses, nothing else. An entry's schemas are built on first read
 * (see define.ts): importing the table builds none.
 */
export const routes: readonly RouteDef[] = [
  ...Object.values(systemRoutes),
  ...Object.values(identityRoutes as Record<string, RouteDef>),
  ...Object.values(setupRoutes as Record<string, RouteDef>),
  ...Object.values(ticketRoutes as Record<string, RouteDef>),
  ...Object.values(dayCloseRoutes as Record<string, RouteDef>),
  ...Object.values(reportRoutes as Record<string, RouteDef>),
];
