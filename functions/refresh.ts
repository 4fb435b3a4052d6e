import { refreshRoute } from '#core/contract/routes/identity/refresh';
import { refresh } from '#core/usecases/identity/refresh';
import { refreshContext } from './commons/context';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(refreshRoute, async (req) => ({
  status: 200,
  body: await refresh(refreshContext(req), req.body),
}));
