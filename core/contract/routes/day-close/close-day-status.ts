import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';

export const closeDayStatusRoute = route({
  method: 'GET',
  path: '/v1/branches/{branchId}/close-day',
  function: 'close-day-status',
  summary: 'Progress of the manual close: the one under way, else the last one finished',
  tag: 'Day close',
  auth: 'bearer',
  permission: 'branches:read',
  params: branchParams(),
  responses: { 200: { description: 'The close and how far it got', schema: 'CloseProgress' } },
});
