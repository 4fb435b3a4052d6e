import { jwksRoute } from '#core/contract/routes/system/jwks';
import { publicEndpoint } from './commons/http';
import { publicJwks } from './commons/signing-keys';

export const handler = publicEndpoint(jwksRoute, async () => ({
  status: 200,
  body: publicJwks(),
  headers: { 'cache-control': 'public, max-age=300' },
}));
