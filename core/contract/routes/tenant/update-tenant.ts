import { route } from '#core/contract/define';
import { authenticatedReads, notFound, problem } from '#core/contract/routes/identity/problems';
import { TENANT_BODY_LIMIT_BYTES, tenantBody } from '#core/contract/schemas/requests/tenant';

export const updateTenantRoute = route({
  method: 'PATCH',
  path: '/v1/tenant',
  function: 'update-tenant',
  summary: 'Change the organisation’s branding (`null` clears a field)',
  tag: 'Tenant',
  auth: 'bearer',
  permission: 'roles:update',
  body: tenantBody(),
  bodyLimitBytes: TENANT_BODY_LIMIT_BYTES,
  responses: {
    200: { description: 'The settings, changed', schema: 'TenantSettings' },
    ...authenticatedReads(),
    404: notFound('Tenant'),
    409: problem('The logo was changed meanwhile by another request; read and retry'),
    413: problem(`Body over ${TENANT_BODY_LIMIT_BYTES} bytes`),
  },
});
