import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteDef } from '#core/contract/define';

/** What the local server and the tests know about one HTTP request. */
export interface RawRequest {
  method: string;
  /** Path without query string, still percent-encoded. */
  path: string;
  rawQuery?: string;
  headers?: Record<string, string | string[] | undefined>;
  body?: Buffer | string;
  sourceIp?: string;
}

/**
 * Builds the APIGatewayProxyEventV2 that API Gateway's HTTP API (payload 2.0) would hand
 * to the route's Lambda: lower-cased headers joined by commas, repeated query parameters
 * joined by commas, decoded path parameters, text bodies as strings and others as base64.
 */
export function toApiGatewayEvent(
  request: RawRequest,
  route: RouteDef,
  pathParameters: Record<string, string>,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const rawQuery = request.rawQuery ?? '';
  // A Map, not `{}`: names like `__proto__` or `toString` must arrive as ordinary parameters.
  const joined = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const seen = joined.get(name);
    joined.set(name, seen === undefined ? value : `${seen},${value}`);
  }
  const query: Record<string, string> = Object.fromEntries(joined);
  let body: string | undefined;
  let isBase64Encoded = false;
  if (request.body !== undefined && request.body.length > 0) {
    const bytes = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body;
    try {
      body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      body = bytes.toString('base64');
      isBase64Encoded = true;
    }
  }
  const now = Date.now();
  const requestId = randomUUID();
  // As in AWS: a HEAD request has its own route key (infra/api.ts registers one per GET route).
  const routeKey = route.path === '$default' ? '$default' : `${request.method} ${route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: rawQuery,
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    body,
    isBase64Encoded,
  };
}

export function lambdaContext(functionName: string) {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export type LambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: ReturnType<typeof lambdaContext>,
) => Promise<APIGatewayProxyStructuredResultV2>;

const handlers = new Map<string, Promise<LambdaHandler>>();

/** The same module Lambda runs: functions/<name>.ts, exporting `handler`. */
export function loadHandler(name: string): Promise<LambdaHandler> {
  let handler = handlers.get(name);
  if (!handler) {
    handler = import(`../functions/${name}.ts`).then((module) => module.handler as LambdaHandler);
    handlers.set(name, handler);
  }
  return handler;
}
