import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { docsAssetRoute } from '#core/contract/routes/system/docs-asset';
import { NotFoundError } from '#core/domain/errors';
import { publicEndpoint } from './commons/http';

/**
 * The files behind GET /docs, served same-origin from the swagger-ui-dist package: only the
 * whitelisted names below, read once per container. `init.js` is ours (the Swagger UI options).
 *
 * Deploy: the files are read at run time from `getAbsoluteFSPath()` (resolved with createRequire,
 * so esbuild leaves swagger-ui-dist out of the bundle). The function package must therefore hold
 * `node_modules/swagger-ui-dist/{package.json,absolute-path.js,swagger-ui.css,swagger-ui-bundle.js}`:
 * the route's `deploy.assets`, which SST's `copyFiles` and scripts/build.ts copy.
 */
const JS = 'text/javascript; charset=utf-8';
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': JS,
};

const INIT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: 'openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const cache = new Map<string, Promise<string>>();

function load(name: string): Promise<string> {
  let file = cache.get(name);
  if (!file) {
    const getAbsoluteFSPath = createRequire(import.meta.url)(
      'swagger-ui-dist/absolute-path.js',
    ) as () => string;
    file = readFile(join(getAbsoluteFSPath(), name), 'utf8');
    file.catch(() => cache.delete(name));
    cache.set(name, file);
  }
  return file;
}

export const handler = publicEndpoint(docsAssetRoute, async ({ params }) => {
  const { asset } = params;
  const contentType = asset === 'init.js' ? JS : Object.hasOwn(FILES, asset) ? FILES[asset] : undefined;
  if (!contentType) throw new NotFoundError('Documentation file');
  return {
    status: 200,
    text: asset === 'init.js' ? INIT : await load(asset),
    headers: {
      'content-type': contentType,
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
    },
  };
});
