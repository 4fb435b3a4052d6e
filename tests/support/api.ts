import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { routes } from '#core/contract/index';
import { createRouter } from '#functions/commons/router';
import { type LambdaHandler, lambdaContext, loadHandler, toApiGatewayEvent } from '#local/apigw';

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

export interface Prepared {
  fn: string;
  handler: LambdaHandler;
  event: APIGatewayProxyEventV2;
  context: ReturnType<typeof lambdaContext>;
}

/** A route's real Lambda handler and the event API Gateway would build for this request. */
export async function prepare(method: string, path: string, options: CallOptions = {}): Promise<Prepared> {
  const match = router.match(method, path);
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
  const fn = match.route.function;
  return { fn, handler: await loadHandler(fn), event, context: lambdaContext(fn) };
}

/** Lower-cased headers, and the body parsed when it is JSON. */
export function readResult(result: APIGatewayProxyStructuredResultV2) {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const text = result.body;
  const json = text && /json/.test(headers['content-type'] ?? '') ? JSON.parse(text) : undefined;
  return { status: result.statusCode ?? 200, headers, json, text };
}

/**
 * Calls a route's real Lambda handler (the whole middy chain) with the event API Gateway
 * would build — no HTTP server in between. Unknown routes fail the test.
 */
export async function call<T = any>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse<T>> {
  const p = await prepare(method, path, options);
  const { status, headers, json, text } = readResult(await p.handler(p.event, p.context));
  return { status, headers, body: json as T, text };
}
