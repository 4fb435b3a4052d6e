import * as systemRoutes from '#infra/routes/system';
import { publicEndpoint } from './commons/http';

/**
 * Generated on the first request of a container and kept: the route table cannot change at
 * runtime. The generator and the whole route table are imported then, not at cold start (esbuild
 * keeps them in the bundle as modules that run on first `import()`), so loading this function
 * costs what /health costs and the document's price is paid once, by the first caller.
 */
let document: Promise<string> | undefined;

async function generate(): Promise<string> {
  const [{ generateOpenApi }, { routes }] = await Promise.all([
    import('./commons/openapi'),
    import('#infra/routes/index'),
  ]);
  return JSON.stringify(generateOpenApi(routes));
}

export const handler = publicEndpoint(systemRoutes.openapi, async () => {
  document ??= generate().catch((error: unknown) => {
    document = undefined;
    throw error;
  });
  return {
    status: 200,
    text: await document,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  };
});
