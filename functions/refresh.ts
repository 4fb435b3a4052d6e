import { refreshRoute } from '#core/contract/routes/identity/refresh';
import { refresh } from '#core/usecases/identity/refresh';
import { publicEndpoint } from './commons/http';
import { sessionDeps } from './commons/tokens';

export const handler = publicEndpoint(refreshRoute, async (req) => ({
  status: 200,
  body: await refresh(sessionDeps, req.body, req.now),
}));
