import { READ_ACTIONS } from '#core/contract/access';
import { route } from '#core/contract/define';
import { PUBLIC_RATE_LIMITS } from '#core/contract/routes/tickets/public';
import { logoParams } from '#core/contract/schemas/requests/tenant';

/** The logo's bytes: its path names its version, so it is cached for a year and never revalidated. */
export const publicLogoRoute = route({
  method: 'GET',
  path: '/v1/public/logos/{tenantId}/{logoId}',
  function: 'public-logo',
  summary: 'An organisation’s logo (no login; the path comes from its branding’s `logoUrl`)',
  tag: 'Public',
  auth: 'none',
  params: logoParams(),
  rateLimits: PUBLIC_RATE_LIMITS,
  responses: {
    200: {
      description: 'The image (`image/png` or `image/webp`)',
      contentType: 'image/png',
      headers: { 'Cache-Control': 'public, max-age=31536000, immutable', ETag: 'The logo’s version' },
    },
    404: { description: 'No such logo (or no longer the organisation’s)' },
  },
  deploy: {
    // A GET that writes its client's request counter (the rate window), like the public status.
    dynamo: { actions: [...READ_ACTIONS, 'dynamodb:UpdateItem'], table: true },
  },
});
