import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { routes } from '../../infra/routes';
import { type LambdaHandler, lambdaContext, loadHandler, toApiGatewayEvent } from '../../local/apigw';
import { createRouter } from '../../local/router';
import type { CallOptions } from '../../tests/support/api';

/**
 * A route's real Lambda handler (the whole middy chain, functions/<name>.ts) with the event API
 * Gateway would build — like tests/support/api.ts `call()`, but split in two so that building
 * the event stays outside what the handler-overhead section times.
 */
const router = createRouter(routes);

export interface Prepared {
  fn: string;
  handler: LambdaHandler;
  event: APIGatewayProxyEventV2;
  context: ReturnType<typeof lambdaContext>;
}

export async function prepare(method: string, path: string, options: CallOptions = {}): Promise<Prepared> {
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
  const fn = match.route.function;
  return { fn, handler: await loadHandler(fn), event, context: lambdaContext(fn) };
}

export interface Invoked {
  status: number;
  body: any;
  headers: Record<string, string>;
  /** Wall time of the handler alone, ms. */
  ms: number;
  /** CPU time (user + system, this process) while the handler ran, ms. */
  cpuMs: number;
}

export async function invoke(p: Prepared): Promise<Invoked> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = await p.handler(p.event, p.context);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  const text = result.body;
  const body = text && /json/.test(headers['content-type'] ?? '') ? JSON.parse(text) : text;
  return { status: result.statusCode ?? 200, body, headers, ms, cpuMs };
}

/** prepare + invoke; throws when the status is not the expected one. */
export async function request(
  method: string,
  path: string,
  options: CallOptions = {},
  expect?: number | number[],
): Promise<Invoked> {
  const res = await invoke(await prepare(method, path, options));
  const ok =
    expect === undefined ? true : Array.isArray(expect) ? expect.includes(res.status) : res.status === expect;
  if (!ok) {
    throw new Error(
      `${method} ${path} → ${res.status}, expected ${expect}: ${typeof res.body === 'string' ? res.body : JSON.stringify(res.body)}`,
    );
  }
  return res;
}
