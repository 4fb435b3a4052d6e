import type { StageConfig } from './stage';
import { contentSecurityPolicy, REFERRER_POLICY } from './web-headers';

/**
 * The web app (web/): a static SPA on S3 + CloudFront, on the stage's own domain when it has one.
 * SST runs the Vite build in web/ with the API's URL as VITE_API_URL (the app calls the API
 * cross-origin; its CORS allows any origin). The site needs only the API's URL, which exists
 * before any route: infra/app.ts creates the API, then the site, then the routes with APP_URL =
 * the site's URL — one deploy, no cycle.
 *
 * The error page is the index page, so any path serves the app; in particular the links of the
 * mails, `<WebUrl>/verify-email?token=…` and `<WebUrl>/#/reset-password?token=…`. Every answer
 * carries the security headers below: SST's StaticSite has no option for a response headers
 * policy, so its CloudFront default behaviour is given one through `transform.cdn`.
 */
export function createWeb(stage: StageConfig, api: sst.aws.ApiGatewayV2, liveUrl: $util.Input<string>) {
  // The headers of the web app on CloudFront (the same as locally: infra/web-headers.ts). The app
  // calls the API cross-origin here, so the CSP's connect-src names the API's origin, and the
  // push service's (its WebSocket).
  const securityHeaders = new aws.cloudfront.ResponseHeadersPolicy('WebSecurityHeaders', {
    comment: 'Queueline web app: CSP, no framing, no referrer, nosniff',
    securityHeadersConfig: {
      contentSecurityPolicy: {
        contentSecurityPolicy: $util
          .all([api.url, liveUrl])
          .apply((urls) => contentSecurityPolicy(urls.map((url) => new URL(url).origin))),
        override: true,
      },
      frameOptions: { frameOption: 'DENY', override: true },
      referrerPolicy: { referrerPolicy: REFERRER_POLICY, override: true },
      contentTypeOptions: { override: true },
      strictTransportSecurity: { accessControlMaxAgeSec: 31_536_000, override: true },
    },
  });

  return new sst.aws.StaticSite('Web', {
    ...(stage.webDomain && { domain: stage.webDomain }),
    path: 'web',
    build: {
      command: 'npx --no-install vite build',
      output: 'dist',
    },
    environment: {
      VITE_API_URL: api.url,
    },
    indexPage: 'index.html',
    errorPage: 'index.html',
    transform: {
      cdn: (args) => {
        args.defaultCacheBehavior = $resolve({
          behavior: args.defaultCacheBehavior,
          responseHeadersPolicyId: securityHeaders.id,
        }).apply(({ behavior, responseHeadersPolicyId }) => ({ ...behavior, responseHeadersPolicyId }));
      },
    },
  });
}
