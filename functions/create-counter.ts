import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { createCounter } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.createCounter, async (req) => ({
  status: 201,
  body: await createCounter(dynamoCounterRepository, req.actor, req.params.branchId, req.body, req.now),
}));
