import { routes } from '../../infra/routes';
import { lambdaContext, loadHandler, toApiGatewayEvent } from '../../local/apigw';
import { createRouter } from '../../local/router';

export interface ApiResponse<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string | undefined;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent verbatim instead of JSON-encoding `body`. */
  rawBody?: string | Buffer;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  sourceIp?: string;
}

const router = createRouter(routes);

/**
 * Calls a route's real Lambda handler (the whole middy chain) with the event API Gateway
 * would build — no HTTP server in between. Unknown routes fail the test.
 */
export async function call<T = any>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const match = router(method, path);
  if (!match) throw new Error(`No route for ${method} ${path}`);
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body = options.rawBody;
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const params = Object.fromEntries(Object.entries(match.params).map(([k, v]) => [k, decodeURIComponent(v)]));
  const event = toApiGatewayEvent(
    {
      method,
      path,
      rawQuery: options.query ? new URLSearchParams(options.query).toString() : '',
      headers,
      body,
      sourceIp: options.sourceIp,
    },
    match.route,
    params,
  );
  const handler = await loadHandler(match.route.function);
  const result = await handler(event, lambdaContext(match.route.function));
  const responseHeaders = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const text = result.body;
  const json = text && /json/.test(responseHeaders['content-type'] ?? '') ? JSON.parse(text) : undefined;
  return { status: result.statusCode ?? 200, headers: responseHeaders, body: json as T, text };
}
