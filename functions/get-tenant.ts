import { getTenantRoute } from '#core/contract/routes/tenant/get-tenant';
import { getTenantSettings } from '#core/usecases/tenant/branding';
import { endpoint } from './commons/auth';
import { tenantSettingsContext } from './commons/context';

export const handler = endpoint(getTenantRoute, async (req) => ({
  status: 200,
  body: await getTenantSettings(tenantSettingsContext(req)),
}));
