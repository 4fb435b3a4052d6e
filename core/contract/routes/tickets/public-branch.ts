import { READ_ACTIONS } from '#core/contract/access';
import { route } from '#core/contract/define';
import { branchParams } from '#core/contract/schemas/common';
import { PUBLIC_RATE_LIMITS } from './public';

export const publicBranchRoute = route({
  method: 'GET',
  path: '/v1/public/branches/{branchId}',
  function: 'public-branch',
  summary: 'The join page: a branch that takes remote joins and its open queues (no login)',
  tag: 'Public',
  auth: 'none',
  params: branchParams(),
  rateLimits: PUBLIC_RATE_LIMITS,
  polled: true,
  responses: {
    200: { description: 'The branch and its open queues, in display order', schema: 'PublicBranch' },
    404: { description: 'Unknown or deleted branch, or remote join is off' },
  },
  deploy: {
    // The branch's public handle and its setup; the rate window is the one write.
    dynamo: { actions: [...READ_ACTIONS, 'dynamodb:UpdateItem'], table: true },
  },
});
