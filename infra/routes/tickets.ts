import { BranchParams, EmptyBody, listOf } from '#core/schemas/common';
import {
  Board,
  BranchTicketParams,
  CounterParams,
  EnqueueBody,
  ListTicketsQuery,
  PublicStatus,
  PublicTokenParams,
  ReassignBody,
  Reassigned,
  Ticket,
  TicketResult,
  TicketWithStanding,
  TransferBody,
} from '#core/schemas/tickets';
import { route } from './define';

/** Ticket routes (docs/rules.md#tickets). */
const action = (
  name: string,
  fn: string,
  summary: string,
  permission: 'tickets:serve' | 'tickets:cancel' = 'tickets:serve',
) =>
  route({
    method: 'POST',
    path: `/v1/branches/{branchId}/tickets/{ticketId}/${name}`,
    function: fn,
    summary,
    tag: 'Tickets',
    auth: 'bearer',
    permission,
    params: BranchTicketParams,
    body: EmptyBody,
    idempotent: true,
    responses: () => ({
      200: { description: 'The ticket after the action', schema: TicketResult() },
      409: { description: 'The action is not allowed from the ticket’s current status' },
    }),
  });

/** The public status routes: per client address, well above the 60 a minute a status page may need. */
const PUBLIC_RATE_LIMITS = [{ per: 'ip', limit: 120, windowSeconds: 60 }] as const;

export const enqueue = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/branches/{branchId}/tickets',
  function: 'enqueue',
  summary: 'Issue a ticket (explicit queue, or automatic routing by priority)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:create',
  params: BranchParams,
  body: EnqueueBody,
  idempotent: true,
  requestHeaders: { 'Idempotency-Key': 'Repeat-safe key (24 h): the same key returns the same ticket' },
  responses: () => ({
    201: { description: 'The ticket, its position and estimated wait', schema: TicketWithStanding() },
    409: { description: 'Queue not open, no open queue for the priority, or Idempotency-Key reused' },
  }),
});

export const listTickets = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/branches/{branchId}/tickets',
  function: 'list-tickets',
  summary: 'List the tickets of a business day (default: the current one)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:read',
  params: BranchParams,
  query: ListTicketsQuery,
  paginated: true,
  responses: () => ({ 200: { description: 'A page of tickets', schema: listOf(Ticket()) } }),
});

export const getTicket = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/branches/{branchId}/tickets/{ticketId}',
  function: 'get-ticket',
  summary: 'Read a ticket (with position and estimated wait while waiting)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:read',
  params: BranchTicketParams,
  responses: () => ({ 200: { description: 'The ticket', schema: TicketWithStanding() } }),
});

export const callNext = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/branches/{branchId}/counters/{counterId}/call-next',
  function: 'call-next',
  summary: 'Call the next customer to this counter',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:serve',
  params: CounterParams,
  body: EmptyBody,
  idempotent: true,
  responses: () => ({
    200: { description: 'The called ticket', schema: TicketResult() },
    204: { description: 'Nobody to call' },
    409: { description: 'The counter still has a called or serving ticket' },
  }),
});

export const startTicket = /* @__PURE__ */ action('start', 'start-ticket', 'Start serving a called ticket');

export const completeTicket = /* @__PURE__ */ action(
  'complete',
  'complete-ticket',
  'Complete a called or serving ticket',
);

export const noShowTicket = /* @__PURE__ */ action(
  'no-show',
  'no-show-ticket',
  'Mark a called ticket as no-show',
);

export const recallTicket = /* @__PURE__ */ action('recall', 'recall-ticket', 'Call a called ticket again');

export const cancelTicket = /* @__PURE__ */ action(
  'cancel',
  'cancel-ticket',
  'Cancel a waiting or called ticket',
  'tickets:cancel',
);

export const transferTicket = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/branches/{branchId}/tickets/{ticketId}/transfer',
  function: 'transfer-ticket',
  summary: 'Move a ticket to another queue (keep its place, or go to the back)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:serve',
  params: BranchTicketParams,
  body: TransferBody,
  idempotent: true,
  responses: () => ({
    200: { description: 'The ticket, waiting in the target queue', schema: TicketResult() },
    409: { description: 'The ticket is finished, or the target queue is closed' },
  }),
});

export const reassign = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/branches/{branchId}/reassign',
  function: 'reassign',
  summary: 'Move waiting tickets between queues: a count, explicit tickets, or balance',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'tickets:reassign',
  params: BranchParams,
  body: ReassignBody,
  idempotent: true,
  responses: () => ({
    200: { description: 'The tickets moved', schema: Reassigned() },
    409: { description: 'A target queue is closed' },
  }),
});

export const board = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/branches/{branchId}/board',
  function: 'board',
  summary: 'The waiting-room board (ETag / If-None-Match)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'branches:read',
  params: BranchParams,
  requestHeaders: { 'If-None-Match': 'The ETag of the board you have; 304 when unchanged' },
  responses: () => ({
    200: { description: 'The board', schema: Board(), headers: { ETag: 'Version of this board' } },
    304: { description: 'Unchanged since the given ETag' },
  }),
});

export const publicTicket = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/public/tickets/{publicToken}',
  function: 'public-ticket',
  summary: 'A customer’s ticket status, by the token printed on the ticket (no login)',
  tag: 'Public',
  auth: 'none',
  params: PublicTokenParams,
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: () => ({ 200: { description: 'The ticket status', schema: PublicStatus() } }),
});

export const publicCancel = /* @__PURE__ */ route({
  method: 'DELETE',
  path: '/v1/public/tickets/{publicToken}',
  function: 'public-cancel-ticket',
  summary: 'The customer cancels their waiting ticket',
  tag: 'Public',
  auth: 'none',
  params: PublicTokenParams,
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: () => ({
    200: { description: 'The ticket status, now cancelled', schema: PublicStatus() },
    409: { description: 'The ticket is no longer waiting' },
  }),
});

/** The area's entries, for the table (index.ts); a function imports its own entry alone. */
export const ticketRoutes = {
  enqueue,
  listTickets,
  getTicket,
  callNext,
  startTicket,
  completeTicket,
  noShowTicket,
  recallTicket,
  cancelTicket,
  transferTicket,
  reassign,
  board,
  publicTicket,
  publicCancel,
};
