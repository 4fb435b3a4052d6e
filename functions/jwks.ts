import * as systemRoutes from '#infra/routes/system';
import { publicEndpoint } from './commons/http';
import { publicJwks } from './commons/signing-keys';

export const handler = publicEndpoint(systemRoutes.jwks, async () => ({
  status: 200,
  body: await publicJwks(),
  headers: { 'cache-control': 'public, max-age=300' },
}));
