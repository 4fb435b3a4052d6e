import * as systemRoutes from '../infra/routes/system';
import { endpoint } from './commons/http';

export const handler = endpoint(systemRoutes.health, async () => ({ status: 200, body: { status: 'ok' } }));
