import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { createCounterRoute } from '#core/contract/routes/setup/create-counter';
import { createCounter } from '#core/usecases/setup/counters';
import { endpoint } from './commons/auth';

export const handler = endpoint(createCounterRoute, async (req) => ({
  status: 201,
  body: await createCounter(dynamoCounterRepository, req.actor, req.params.branchId, req.body, req.now),
}));
