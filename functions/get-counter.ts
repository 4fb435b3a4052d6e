import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { getCounterRoute } from '#core/contract/routes/setup/get-counter';
import { getCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';

export const handler = endpoint(getCounterRoute, async (req) => ({
  status: 200,
  body: await getCounter(dynamoCounterRepository, req.actor, req.params.branchId, req.params.counterId),
}));
