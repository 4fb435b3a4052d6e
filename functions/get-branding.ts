import { getBrandingRoute } from '#core/contract/routes/tenant/get-branding';
import { getBranding } from '#core/usecases/tenant/branding';
import { endpoint } from './commons/auth';
import { tenantSettingsContext } from './commons/context';

export const handler = endpoint(getBrandingRoute, async (req) => ({
  status: 200,
  body: await getBranding(tenantSettingsContext(req)),
}));
