import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { deleteCounterRoute } from '#core/contract/routes/setup/delete-counter';
import { deleteCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';

export const handler = endpoint(deleteCounterRoute, async (req) => {
  await deleteCounter(dynamoCounterRepository, req.actor, req.params.branchId, req.params.counterId, req.now);
  return { status: 204 };
});
