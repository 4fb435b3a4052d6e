import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';
import { remoteJoinBody } from '#core/contract/schemas/requests/tickets';
import { REMOTE_JOIN_RATE_LIMITS } from './public';

export const remoteJoinRoute = route({
  method: 'POST',
  path: '/v1/public/branches/{branchId}/tickets',
  function: 'remote-join',
  summary: 'A customer takes a ticket from afar, on the branch’s join page (no login)',
  tag: 'Public',
  auth: 'none',
  params: branchParams(),
  body: remoteJoinBody(),
  rateLimits: REMOTE_JOIN_RATE_LIMITS,
  responses: {
    201: {
      description: 'The ticket (`source: "remote"`), its position and estimated wait',
      schema: 'RemoteJoined',
    },
    404: { description: 'Unknown or deleted branch, or remote join is off' },
    409: {
      description:
        'The queue is not open, or the branch already holds `remoteJoin.maxWaiting` remote tickets waiting',
    },
  },
});
