import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { listCounters } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  setupRoutes.listCounters,
  async (req) => ({
    status: 200,
    body: await listCounters(dynamoCounterRepository, req.actor, req.params.branchId, req.query),
  }),
  { cursors: cursorSeal },
);
