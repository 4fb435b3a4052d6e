import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';

export const boardRoute = route({
  method: 'GET',
  path: '/v1/branches/{branchId}/board',
  function: 'board',
  summary: 'The waiting-room board (ETag / If-None-Match)',
  tag: 'Tickets',
  auth: 'bearer',
  permission: 'branches:read',
  params: branchParams(),
  polled: true,
  requestHeaders: { 'If-None-Match': 'The ETag of the board you have; 304 when unchanged' },
  responses: {
    200: { description: 'The board', schema: 'Board', headers: { ETag: 'Version of this board' } },
    304: { description: 'Unchanged since the given ETag' },
  },
});
