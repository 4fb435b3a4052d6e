import { routes } from '../infra/routes';
import { systemRoutes } from '../infra/routes/system';
import { endpoint } from './commons/http';
import { generateOpenApi } from './commons/openapi';

/** Generated on the first request of a container and kept: the route table cannot change at runtime. */
let document: string | undefined;

export const handler = endpoint(systemRoutes.openapi, async () => {
  document ??= JSON.stringify(generateOpenApi(routes));
  return {
    status: 200,
    text: document,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' },
  };
});
