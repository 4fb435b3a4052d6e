import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';

/** The manager's live figures: costs follow the setup (queues × ranks, counters), not the tickets. */
export const branchTodayRoute = route({
  method: 'GET',
  path: '/v1/branches/{branchId}/today',
  function: 'branch-today',
  summary:
    'Today at a branch: waiting now, longest wait, served, share within target, waiting tickets past their target, the agent at each counter',
  tag: 'Reports',
  auth: 'bearer',
  permission: 'reports:read',
  polled: true,
  params: branchParams(),
  responses: { 200: { description: 'Live figures of the branch', schema: 'BranchToday' } },
});
