import { updateTenantRoute } from '#core/contract/routes/tenant/update-tenant';
import { updateTenantSettings } from '#core/usecases/tenant/branding';
import { endpoint } from './commons/auth';
import { tenantSettingsContext } from './commons/context';

export const handler = endpoint(updateTenantRoute, async (req) => ({
  status: 200,
  body: await updateTenantSettings(tenantSettingsContext(req), req.body),
}));
