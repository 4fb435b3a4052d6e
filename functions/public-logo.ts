import { countRequest } from '#core/adapters/dynamo/rate-limit';
import { publicLogoRoute } from '#core/contract/routes/tenant/public-logo';
import { publicLogo } from '#core/usecases/tenant/branding';
import { logoContext } from './commons/context';
import { publicEndpoint } from './commons/http';

/**
 * The logo's bytes. Its path holds its version, so browsers keep it for a year without asking
 * again; the type is the one its content proved when it was uploaded, and `nosniff` (set on
 * every answer) with a sandboxing CSP keeps a browser from reading it as anything else.
 */
export const handler = publicEndpoint(
  publicLogoRoute,
  async (req) => {
    const { contentType, bytes } = await publicLogo(logoContext(), req.params);
    return {
      status: 200,
      bytes,
      headers: {
        'content-type': contentType,
        'cache-control': 'public, max-age=31536000, immutable',
        etag: `"${req.params.logoId}"`,
        'content-security-policy': "default-src 'none'; sandbox",
      },
    };
  },
  { rateLimit: countRequest },
);
