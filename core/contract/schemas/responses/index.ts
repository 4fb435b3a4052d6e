import { Problem } from './common';
import { ClosedDay, CloseProgress } from './day-close';
import {
  EmailVerified,
  PermissionCatalog,
  ResetRequested,
  Role,
  RolePage,
  Session,
  SignedUp,
  User,
  UserPage,
} from './identity';
import { BranchReport, ReportsSummary, Stats } from './reports';
import { Branch, BranchPage, Counter, CounterPage, Priority, PriorityPage, Queue, QueuePage } from './setup';
import { HealthOk, HealthUnavailable, Jwks, OpenApiDocument } from './system';
import {
  Board,
  PublicStatus,
  Reassigned,
  Ticket,
  TicketPage,
  TicketResult,
  TicketWithStanding,
} from './tickets';

/**
 * Every response schema, by the name a route's responses give it (`schema: 'TicketResult'`).
 * Routes name their answers rather than import them: only the OpenAPI generator and the tests
 * build these, never a function at its cold start (docs/performance.md §1).
 */
export const responseSchemas = {
  Problem,
  HealthOk,
  HealthUnavailable,
  Jwks,
  OpenApiDocument,
  User,
  UserPage,
  Role,
  RolePage,
  PermissionCatalog,
  Session,
  SignedUp,
  EmailVerified,
  ResetRequested,
  Priority,
  PriorityPage,
  Branch,
  BranchPage,
  Queue,
  QueuePage,
  Counter,
  CounterPage,
  Ticket,
  TicketPage,
  TicketWithStanding,
  TicketResult,
  Reassigned,
  Board,
  PublicStatus,
  ClosedDay,
  CloseProgress,
  Stats,
  BranchReport,
  ReportsSummary,
};

export type ResponseName = keyof typeof responseSchemas;
