import { docsRoute } from '#core/contract/routes/system/docs';
import { publicEndpoint } from './commons/http';

/**
 * Swagger UI over /openapi.json. Every file comes from this API (GET /docs/{asset}), never from a
 * CDN, and the initialiser is a file too, so the page runs under a CSP without inline scripts
 * (Swagger UI itself needs inline styles and data: images). Links are relative to `/docs`, so the
 * page also works behind a path prefix.
 */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Queueline API</title>
  <link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="docs/swagger-ui-bundle.js"></script>
  <script src="docs/init.js"></script>
</body>
</html>
`;

const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export const handler = publicEndpoint(docsRoute, async () => ({
  status: 200,
  text: PAGE,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-cache',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
  },
}));
