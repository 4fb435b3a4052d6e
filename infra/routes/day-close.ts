import { BranchParams, EmptyBody } from '#core/schemas/common';
import { ClosedDay, CloseProgress } from '#core/schemas/day-close';
import { route } from './define';

/** Day close (docs/rules.md#day-close). The nightly job is not an HTTP route: see infra/cron.ts. */
export const closeDay = /* @__PURE__ */ route({
  method: 'POST',
  path: '/v1/branches/{branchId}/close-day',
  function: 'close-day',
  summary:
    'Close the business day now: expire what waits or is called, finish what is served, restart numbering',
  tag: 'Day close',
  auth: 'bearer',
  permission: 'branches:update',
  params: BranchParams,
  body: EmptyBody,
  idempotent: true,
  responses: () => ({
    200: { description: 'What the close did', schema: ClosedDay() },
    202: {
      description:
        'The close goes on in the background (many open tickets); numbering restarts when it ends. Follow it at Location',
      schema: CloseProgress(),
      headers: { Location: 'Where the close reports its progress (GET)' },
    },
  }),
});

export const closeDayStatus = /* @__PURE__ */ route({
  method: 'GET',
  path: '/v1/branches/{branchId}/close-day',
  function: 'close-day-status',
  summary: 'Progress of the manual close: the one under way, else the last one finished',
  tag: 'Day close',
  auth: 'bearer',
  permission: 'branches:read',
  params: BranchParams,
  responses: () => ({ 200: { description: 'The close and how far it got', schema: CloseProgress() } }),
});

/** The area's entries, for the table (index.ts); a function imports its own entry alone. */
export const dayCloseRoutes = { closeDay, closeDayStatus };
