import { route } from '#core/contract/define';
import { authenticatedReads } from '#core/contract/routes/identity/problems';

/** What a kiosk or a board shows of the organisation: any signed-in user may read it. */
export const getBrandingRoute = route({
  method: 'GET',
  path: '/v1/tenant/branding',
  function: 'get-branding',
  summary: 'The organisation’s branding, for the screens (any signed-in user)',
  tag: 'Tenant',
  auth: 'bearer',
  responses: {
    200: { description: 'The branding', schema: 'Branding' },
    ...authenticatedReads(),
  },
});
