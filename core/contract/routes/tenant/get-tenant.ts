import { route } from '#core/contract/define';
import { authenticatedReads, notFound } from '#core/contract/routes/identity/problems';

/**
 * The organisation's settings. Its administration, like its roles: `roles:update`, which among the
 * built-in roles only `admin` holds (docs/rules.md#branding).
 */
export const getTenantRoute = route({
  method: 'GET',
  path: '/v1/tenant',
  function: 'get-tenant',
  summary: 'The organisation’s settings (branding)',
  tag: 'Tenant',
  auth: 'bearer',
  permission: 'roles:update',
  responses: {
    200: { description: 'The settings', schema: 'TenantSettings' },
    ...authenticatedReads(),
    404: notFound('Tenant'),
  },
});
