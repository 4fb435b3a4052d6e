import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { deleteCounter } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.deleteCounter, async (req) => {
  await deleteCounter(dynamoCounterRepository, req.actor, req.params.branchId, req.params.counterId, req.now);
  return { status: 204 };
});
