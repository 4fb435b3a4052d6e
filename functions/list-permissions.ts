import { listPermissionsRoute } from '#core/contract/routes/identity/list-permissions';
import { PERMISSIONS } from '#core/domain/permissions';
import { endpoint } from './commons/auth';

export const handler = endpoint(listPermissionsRoute, async () => ({
  status: 200,
  body: { items: PERMISSIONS },
}));
