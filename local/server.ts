import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { RouteDef } from '#core/contract/define';
import { notFoundRoute } from '#core/contract/routes/system/not-found';
import { BODY_LIMIT_BYTES } from '#functions/commons/request';
import { createRouter } from '#functions/commons/router';
import { lambdaContext, loadHandler, toApiGatewayEvent } from './apigw';

/** What API Gateway's CORS configuration answers in AWS (see infra/api.ts). */
const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET,POST,PATCH,DELETE,OPTIONS',
  'access-control-allow-headers': 'authorization,content-type,idempotency-key,if-none-match',
  'access-control-expose-headers': 'etag,retry-after,x-request-id,idempotent-replayed,www-authenticate',
  'access-control-max-age': '600',
};

function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: `https://queueline.dev/problems/${code}`, title, status, detail }),
  };
}

function send(res: http.ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  // The handlers set nosniff themselves; this covers what the server answers on its own (413, …).
  const headers: Record<string, string> = { ...CORS_HEADERS, 'x-content-type-options': 'nosniff' };
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/** Reads the body up to the limit; past it, stops and answers 413 like a gateway would. */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return resolve('too-large');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The local stand-in for API Gateway: matches the route table, turns each request into an
 * APIGatewayProxyEventV2, and calls the very handler Lambda runs. HEAD runs the GET route; any
 * other request the table does not route goes to the catch-all (405 for a known path, else 404).
 */
export function createServer(
  routes: readonly RouteDef[],
  extra?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
) {
  const router = createRouter(routes);
  return http.createServer(async (req, res) => {
    try {
      if (extra?.(req, res)) return;
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const rawQuery = q < 0 ? '' : url.slice(q + 1);
      if (req.method === 'OPTIONS') return send(res, { statusCode: 204 });
      try {
        decodeURIComponent(path);
      } catch {
        return send(
          res,
          problem(400, 'validation', 'Invalid request', 'The path is not valid percent-encoding'),
        );
      }
      const found = router.match(req.method ?? 'GET', path) ?? { route: notFoundRoute, params: {} };
      const limit = ('bodyLimitBytes' in found.route && found.route.bodyLimitBytes) || BODY_LIMIT_BYTES;
      const body = await readBody(req, limit);
      if (body === 'too-large') {
        res.setHeader('connection', 'close');
        return send(
          res,
          problem(413, 'payload-too-large', 'Payload too large', `The body must not exceed ${limit} bytes`),
        );
      }
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(found.params)) {
        try {
          params[name] = decodeURIComponent(value);
        } catch {
          params[name] = value;
        }
      }
      const event = toApiGatewayEvent(
        {
          method: req.method ?? 'GET',
          path,
          rawQuery,
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress,
        },
        found.route,
        params,
      );
      const handler = await loadHandler(found.route.function);
      send(res, await handler(event, lambdaContext(found.route.function)));
    } catch (error) {
      console.error(error);
      if (!res.headersSent)
        send(res, problem(500, 'internal', 'Internal server error', 'Something went wrong on our side'));
    }
  });
}

export async function listen(server: http.Server, port: number, host = '127.0.0.1'): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return `http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}`;
}
