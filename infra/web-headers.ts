/**
 * The headers the web app (web/) is served with, locally (local/web.ts) and by CloudFront's
 * response headers policy (infra/web.ts). Plain TypeScript: no SST globals, so the local server
 * and the tests import it too.
 *
 * The app runs only its own bundled script (Vite emits no inline script), draws QR codes as
 * inline SVG elements and sets styles through the DOM, which a CSP without 'unsafe-inline'
 * allows. It calls the API on its own origin locally and on the API's origin in AWS.
 */
export function contentSecurityPolicy(apiOrigins: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // The organisation's logo comes from the API; the logo being chosen in the setup, from a data: URL.
    `img-src ${["'self'", 'data:', ...apiOrigins].join(' ')}`,
    `connect-src ${["'self'", ...apiOrigins].join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Status links carry a ticket's token: no page of the app may leak its URL as a referrer. */
export const REFERRER_POLICY = 'no-referrer';

/** What the local server sends with every file of the app (CloudFront sends the same). */
export function webAppHeaders(apiOrigins: readonly string[] = []): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(apiOrigins),
    'referrer-policy': REFERRER_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
}
