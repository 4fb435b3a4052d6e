import { refresh } from '#core/usecases/identity/refresh';
import * as identityRoutes from '#infra/routes/identity';
import { publicEndpoint } from './commons/http';
import { sessionDeps } from './commons/tokens';

export const handler = publicEndpoint(identityRoutes.refresh, async (req) => ({
  status: 200,
  body: await refresh(sessionDeps, req.body, req.now),
}));
