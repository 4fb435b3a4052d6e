import { PERMISSIONS } from '#core/domain/permissions';
import * as identityRoutes from '#infra/routes/identity';
import { endpoint } from './commons/auth';

export const handler = endpoint(identityRoutes.listPermissions, async () => ({
  status: 200,
  body: { items: PERMISSIONS },
}));
