import { refresh } from '#core/usecases/identity/refresh';
import * as identityRoutes from '#infra/routes/identity';
import { refreshContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(identityRoutes.refresh, async (req) => ({
  status: 200,
  body: await refresh(refreshContext(req), req.body),
}));
