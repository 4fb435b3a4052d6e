import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { updateCounter } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.updateCounter, async (req) => {
  const { branchId, counterId } = req.params;
  return {
    status: 200,
    body: await updateCounter(dynamoCounterRepository, req.actor, branchId, counterId, req.body, req.now),
  };
});
