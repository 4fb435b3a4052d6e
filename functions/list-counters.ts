import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { listCountersRoute } from '#core/contract/routes/setup/list-counters';
import { listCounters } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listCountersRoute,
  async (req) => ({
    status: 200,
    body: await listCounters(dynamoCounterRepository, req.actor, req.params.branchId, req.query),
  }),
  { cursors: cursorSeal },
);
