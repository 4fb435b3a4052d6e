import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { updateCounterRoute } from '#core/contract/routes/setup/update-counter';
import { updateCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';

export const handler = endpoint(updateCounterRoute, async (req) => {
  const { branchId, counterId } = req.params;
  return {
    status: 200,
    body: await updateCounter(dynamoCounterRepository, req.actor, branchId, counterId, req.body, req.now),
  };
});
