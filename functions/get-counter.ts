import { dynamoCounterRepository } from '#core/adapters/dynamo/counter-repository';
import { getCounter } from '#core/usecases/setup/counters';
import * as setupRoutes from '#infra/routes/setup';
import { endpoint } from './commons/auth';

export const handler = endpoint(setupRoutes.getCounter, async (req) => ({
  status: 200,
  body: await getCounter(dynamoCounterRepository, req.actor, req.params.branchId, req.params.counterId),
}));
