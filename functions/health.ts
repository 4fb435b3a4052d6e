import * as systemRoutes from '../infra/routes/system';
import { publicEndpoint } from './commons/http';

export const handler = publicEndpoint(systemRoutes.health, async () => ({
  status: 200,
  body: { status: 'ok' },
}));
