import { openapiRoute } from '#core/contract/routes/system/openapi';
import { publicEndpoint } from './commons/http';
import { generateOpenApi } from './commons/openapi';

/**
 * Generated on the first request of a container and kept: the route table cannot change at
 * runtime. The table and the response schemas are imported then, not at cold start
 * (docs/performance.md §1), so the document's price is paid once, by the first caller.
 */
let document: Promise<string> | undefined;

async function generate(): Promise<string> {
  const [{ routes }, responseSchemas] = await Promise.all([
    import('#core/contract/index'),
    import('#core/contract/schemas/responses/index'),
  ]);
  return JSON.stringify(generateOpenApi(routes, responseSchemas));
}

export const handler = publicEndpoint(openapiRoute, async () => {
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
