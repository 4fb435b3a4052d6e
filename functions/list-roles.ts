import { pageOf } from '#core/adapters/dynamo/cursor';
import { dynamoRoleStore } from '#core/adapters/dynamo/role-store';
import { listRolesRoute } from '#core/contract/routes/identity/list-roles';
import { listRoles, roleOrderKey } from '#core/usecases/identity/list-roles';
import { endpoint } from './commons/auth';
import { cursorSeal } from './commons/cursor-seal';

export const handler = endpoint(
  listRolesRoute,
  async ({ actor, query }) => ({
    status: 200,
    body: pageOf(
      await listRoles({ roles: dynamoRoleStore }, actor.tenantId),
      roleOrderKey,
      query.limit,
      query.cursor,
      `roles#${actor.tenantId}`,
    ),
  }),
  { cursors: cursorSeal },
);
