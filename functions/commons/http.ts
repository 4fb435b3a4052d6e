import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { currentScope, DeadlineExceeded, withDeadline } from '#core/adapters/dynamo/request-scope';
import type { RouteDef } from '#core/contract/define';
import { emptyBody } from '#core/contract/schemas/common';
import type { Actor } from '#core/domain/actor';
import { ConflictError, ForbiddenError, ValidationError } from '#core/domain/errors';
import type { IdempotencyStore } from '#core/ports/idempotency';
import type { RequestCounter } from '#core/ports/rate-limit';
import { enforceBudgets } from '#core/usecases/rate-limit';
import { type RequestLog, requestLog } from './logger';
import { problemResponse } from './problem';
import { assertJsonMediaType, assertWellFormed, bodyText, parseJson, validate } from './request';

type Out<S> = S extends z.ZodMiniType ? z.output<S> : undefined;

export interface HttpRequest<R extends RouteDef> {
  params: Out<R['params']>;
  query: Out<R['query']>;
  body: Out<R['body']>;
  actor: R['auth'] extends 'bearer' ? Actor : null;
  /** The path as requested (still percent-encoded). */
  path: string;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
  requestId: string;
  now: Date;
  sourceIp: string;
  log: RequestLog;
}

export interface HttpResult {
  status: number;
  /** Serialised as JSON unless `text` is given. */
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/**
 * What a route's flags need at run time, passed by its handler: `idempotency` for an
 * `idempotent` route, `rateLimit` for one with `rateLimits`, `cursors` for a `paginated` one.
 * Passed rather than imported here so that only the bundles of those routes carry the stores
 * (and, for /docs or /openapi.json, the DynamoDB client at all).
 *
 * `recover`, for an idempotent route whose work is one ticket write: that write then records its
 * ticket with the Idempotency-Key (core/adapters/dynamo/outcome-record.ts), and a retry whose first
 * request wrote the ticket but never stored its answer (it ran out of time, or storing failed)
 * gets the answer rebuilt from that ticket — the same status and resource, as it is now —
 * instead of a second run.
 */
export interface Services<R extends RouteDef = RouteDef> {
  idempotency?: IdempotencyStore;
  rateLimit?: RequestCounter;
  recover?: (request: HttpRequest<R>, ticketId: string) => Promise<HttpResult>;
  cursors?: CursorSeal;
}

/**
 * Seals the `nextCursor` a list answers to the list and the caller, and opens the cursor sent
 * back before validation (./cursor-seal.ts); a cursor that does not open is a 400.
 */
export interface CursorSeal {
  open(route: RouteDef, actor: Actor | null, event: APIGatewayProxyEventV2): Promise<void>;
  seal(route: RouteDef, actor: Actor | null, event: APIGatewayProxyEventV2, body: unknown): Promise<void>;
}

type Needs<R extends RouteDef> = (R extends { idempotent: true }
  ? { idempotency: IdempotencyStore }
  : Record<never, never>) &
  (R extends { rateLimits: readonly unknown[] } ? { rateLimit: RequestCounter } : Record<never, never>) &
  (R extends { paginated: true } ? { cursors: CursorSeal } : Record<never, never>);

/** The services argument of `endpoint`: required, with exactly what the route needs, or absent. */
export type ServicesArg<R extends RouteDef> =
  Record<never, never> extends Needs<R> ? [services?: Services<R>] : [services: Needs<R> & Services<R>];

export type Handler = (
  event: APIGatewayProxyEventV2,
  context: unknown,
) => Promise<APIGatewayProxyStructuredResultV2>;

type Result = APIGatewayProxyStructuredResultV2;
type MiddyRequest = middy.Request<APIGatewayProxyEventV2, Result>;
interface State {
  requestId: string;
  now: Date;
  started: number;
  log: RequestLog;
  actor: Actor | null;
  input?: { params: unknown; query: unknown; body: unknown };
  idempotency?: { tenantId: string; key: string; claimId: string };
}
const states = new WeakMap<object, State>();
const stateOf = (request: MiddyRequest) => states.get(request.event)!;

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers'] | undefined) {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
}

/** First in, last out: request id and per-request logger; every error becomes problem+json. */
const requestScope: middy.MiddlewareObj<APIGatewayProxyEventV2, Result> = {
  before: (request) => {
    const requestId = request.event.requestContext?.requestId ?? crypto.randomUUID();
    states.set(request.event, {
      requestId,
      now: new Date(),
      started: performance.now(),
      log: requestLog({ requestId }),
      actor: null,
    });
  },
  onError: (request) => {
    request.response = problemResponse(request.error, stateOf(request).log);
  },
};

/** Turns the Authorization header into the actor it names, or throws UnauthorizedError (./auth.ts). */
export type Authenticate = (authorization: string | undefined) => Promise<Actor>;

const authentication = (
  route: RouteDef,
  authenticate: Authenticate,
): middy.MiddlewareObj<APIGatewayProxyEventV2, Result> => ({
  before: async (request) => {
    const state = stateOf(request);
    const actor = await authenticate(lowerCaseHeaders(request.event.headers).authorization);
    state.actor = actor;
    state.log = state.log.with({ tenantId: actor.tenantId });
    if (route.permission && !actor.permissions.includes(route.permission)) {
      throw new ForbiddenError(`This requires the permission ${route.permission}`);
    }
  },
});

/** Public routes: the route's budgets (per client IP, or shared by all), checked before any other work. */
const rateLimit = (
  route: RouteDef,
  limits: NonNullable<RouteDef['rateLimits']>,
  countRequest: RequestCounter,
): middy.MiddlewareObj<APIGatewayProxyEventV2, Result> => ({
  before: async (request) => {
    const client = request.event.requestContext?.http?.sourceIp ?? 'unknown';
    const checks = limits.map(({ per, ...budget }) => ({ ...budget, subject: per === 'ip' ? client : '*' }));
    await enforceBudgets(countRequest, `${route.method} ${route.path}`, checks, stateOf(request).now);
  },
});

const inputValidation = (route: RouteDef): middy.MiddlewareObj<APIGatewayProxyEventV2, Result> => {
  const { params: paramsSchema, query: querySchema, body: bodySchema } = route;
  return {
    before: (request) => {
      const { event } = request;
      const rawQuery = event.queryStringParameters ?? {};
      assertWellFormed(rawQuery, 'query', 0);
      const query = querySchema
        ? validate(querySchema, rawQuery, 'query')
        : Object.keys(rawQuery).length > 0 && route.path.startsWith('/v1')
          ? validate(emptyBody(), rawQuery, 'query')
          : undefined;
      const params = paramsSchema ? validate(paramsSchema, event.pathParameters ?? {}, 'path') : undefined;
      const text = bodyText(event);
      let body: unknown;
      if (bodySchema) {
        if (text !== undefined) assertJsonMediaType(lowerCaseHeaders(event.headers)['content-type']);
        body = validate(bodySchema, text === undefined ? {} : parseJson(text), 'body');
      } else if (text !== undefined && route.method !== 'GET' && route.method !== 'DELETE') {
        throw new ValidationError('This route takes no body');
      }
      stateOf(request).input = { params, query, body };
    },
  };
};

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key`, scoped to tenant + user + route: a replay returns the first response
 * unchanged. The claim happens here, locked until this request's deadline; what the request
 * answered is stored (or, on a 5xx, the key released so that a retry runs again) by `settle`,
 * once the whole chain has answered. With `recover` (see Services) a first request that wrote
 * its ticket is never run again.
 */
const idempotency = <R extends RouteDef>(
  route: R,
  store: IdempotencyStore,
  recover: Services<R>['recover'],
): middy.MiddlewareObj<APIGatewayProxyEventV2, Result> => ({
  before: async (request) => {
    const key = lowerCaseHeaders(request.event.headers)['idempotency-key'];
    if (key === undefined) return;
    if (!IDEMPOTENCY_KEY.test(key)) {
      throw new ValidationError('Invalid Idempotency-Key', [
        { path: 'header.idempotency-key', message: 'Must be 1-255 visible ASCII characters' },
      ]);
    }
    const state = stateOf(request);
    const actor = state.actor!;
    const scoped = sha256(`${actor.userId}\n${route.method} ${route.path}\n${key}`);
    const hash = sha256(JSON.stringify(state.input));
    const lockedUntil = new Date(state.now.getTime() + workBudget() + settleBudget());
    const claim = await store.claim(actor.tenantId, scoped, hash, state.now, lockedUntil);
    if (claim.outcome === 'mismatch') {
      throw new ConflictError(
        'idempotency-key-reused',
        'This Idempotency-Key was used with a different request',
      );
    }
    if (claim.outcome === 'in-progress') {
      throw new ConflictError(
        'idempotency-in-progress',
        'A request with this Idempotency-Key is still running',
      );
    }
    if (claim.outcome === 'replay') {
      const { status, headers, body } = claim.response;
      return { statusCode: status, headers: { ...headers, 'idempotent-replayed': 'true' }, body };
    }
    const claimed = { tenantId: actor.tenantId, key: scoped, claimId: claim.claimId };
    if (claim.outcome === 'applied') {
      // Only a write that `recover` asked to record makes an `applied` claim. The rebuilt answer
      // is stored, so that later replays return it unchanged.
      const response = toResult(await recover!(httpRequest<R>(state, request.event), claim.resourceId));
      await settle(store, { ...state, idempotency: claimed }, response);
      return { ...response, headers: { ...response.headers, 'idempotent-replayed': 'true' } };
    }
    state.idempotency = claimed;
    if (recover) currentScope()!.held = claimed;
  },
});

const strip = (tag: string) => tag.trim().replace(/^W\//, '');

/** The entity tags of an If-None-Match header, for weak comparison (`W/` dropped). */
export const entityTags = (ifNoneMatch: string | undefined): string[] =>
  ifNoneMatch ? ifNoneMatch.split(',').map(strip) : [];

/** RFC 9110 If-None-Match: `*`, or any of a list of tags, compared weakly (`W/` ignored). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === '*' || entityTags(ifNoneMatch).includes(strip(etag));
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * Stores the response of a claimed Idempotency-Key: 2xx–4xx replay as they were; 5xx free the
 * key — unless the request's ticket write landed before the failure (a 503 at the deadline
 * may come after it): then the key stays with that ticket, and a retry answers from it.
 */
async function settle(store: IdempotencyStore, state: State, response: Result): Promise<void> {
  const claimed = state.idempotency;
  if (!claimed) return;
  const status = response.statusCode ?? 200;
  try {
    if (status >= 500) {
      await store.release(claimed.tenantId, claimed.key, claimed.claimId);
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(response.headers ?? {}).map(([k, v]) => [k, String(v)]),
    ) as Record<string, string>;
    await store.complete(
      claimed.tenantId,
      claimed.key,
      claimed.claimId,
      { status, headers, body: response.body ?? '' },
      state.now,
    );
  } catch (error) {
    // The answer stands. A retry answers from the ticket if this request wrote one and recorded
    // it (see Services `recover`); otherwise the lock lapses at the deadline and a retry runs again.
    state.log.warn('could not store the idempotent response', { error: (error as Error).name });
  }
}

/**
 * Last, on every path (early replays included): the headers every answer carries, and one
 * access-log line. /v1 answers may hold tokens (login, refresh, a ticket's publicToken), so
 * nothing stores them unless the route says otherwise (the board's `no-cache` keeps its ETag).
 */
function finish(route: RouteDef, state: State, response: Result): Result {
  response.headers = {
    ...(route.path.startsWith('/v1/') && { 'cache-control': 'no-store' }),
    ...response.headers,
    'x-content-type-options': 'nosniff',
    'x-request-id': state.requestId,
  };
  state.log.info('request', {
    method: route.method,
    route: route.path,
    status: response.statusCode,
    durationMs: Math.round(performance.now() - state.started),
  });
  return response;
}

/** What `impl` (and `recover`) see of the request. */
function httpRequest<R extends RouteDef>(state: State, event: APIGatewayProxyEventV2): HttpRequest<R> {
  const input = state.input!;
  return {
    params: input.params,
    query: input.query,
    body: input.body,
    actor: state.actor,
    path: event.rawPath,
    headers: lowerCaseHeaders(event.headers),
    requestId: state.requestId,
    now: state.now,
    sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
    log: state.log,
  } as HttpRequest<R>;
}

/**
 * A request answers within 10 s of arriving, whatever the database does: the chain gets 7 s
 * (then every DynamoDB call still running is aborted and the answer is a 503 with Retry-After),
 * storing an idempotent answer up to 1 s more, and API Gateway and a cold start the rest.
 * `REQUEST_DEADLINE_MS` sets the chain's share (tests); storing gets a seventh of it, 1 s at least.
 */
const WORK_MS = 7000;
const SETTLE_MS = 1000;
const workBudget = () => Number(process.env.REQUEST_DEADLINE_MS) || WORK_MS;
const settleBudget = () => Math.max(SETTLE_MS, workBudget() / 7);

function toResult(result: HttpResult): Result {
  if (result.text !== undefined)
    return { statusCode: result.status, headers: result.headers, body: result.text };
  if (result.body === undefined) return { statusCode: result.status, headers: result.headers };
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/**
 * One Lambda handler for one public route (`auth: 'none'`): validate path, query and body →
 * run `impl` → serialise; a rate-limited route takes its request counter in `services`. Bearer
 * routes use `endpoint` (./auth.ts), which adds the token check: public bundles never load the
 * verifier (aws-jwt-verify: 16 KiB, ~6 ms of cold start).
 */
export function publicEndpoint<const R extends RouteDef & { auth: 'none' }>(
  route: R,
  impl: (request: HttpRequest<R>) => Promise<HttpResult>,
  ...[services]: ServicesArg<R>
): Handler {
  return createEndpoint(route, impl, services);
}

/**
 * The chain of both: request scope → authenticate and check the permission (bearer routes) →
 * rate limit (public routes that ask) → open the sealed cursor (paginated routes) → validate
 * path, query and body → honour Idempotency-Key → run `impl` → seal `nextCursor` → serialise.
 * Every error, from any step, leaves as problem+json.
 */
export function createEndpoint<R extends RouteDef>(
  route: R,
  impl: (request: HttpRequest<R>) => Promise<HttpResult>,
  services: Services<R> | undefined,
  authenticate?: Authenticate,
): Handler {
  const given: Services<R> = services ?? {};
  const store = route.idempotent ? given.idempotency : undefined;
  const limits = route.rateLimits?.length ? route.rateLimits : undefined;
  const countRequest = limits ? given.rateLimit : undefined;
  const cursors = route.paginated ? given.cursors : undefined;
  if (route.idempotent && !store) throw new Error(`${route.function}: idempotent, give services.idempotency`);
  if (limits && !countRequest) {
    throw new Error(`${route.function}: rate-limited, give services.rateLimit`);
  }
  if (route.paginated && !cursors) throw new Error(`${route.function}: paginated, give services.cursors`);
  const chain = middy<APIGatewayProxyEventV2, Result>().use(requestScope);
  if (route.auth === 'bearer') {
    // The types send bearer routes to `endpoint`; this stops an untyped caller serving one unauthenticated.
    if (!authenticate) throw new Error(`${route.function}: a bearer route, use endpoint`);
    chain.use(authentication(route, authenticate));
  }
  if (limits && countRequest) chain.use(rateLimit(route, limits, countRequest));
  if (cursors) chain.use({ before: (request) => cursors.open(route, stateOf(request).actor, request.event) });
  chain.use(inputValidation(route));
  if (store) chain.use(idempotency(route, store, given.recover));
  const handler = chain.handler(async (event) => {
    const state = states.get(event)!;
    const result = await impl(httpRequest<R>(state, event));
    if (cursors) await cursors.seal(route, state.actor, event, result.body);
    return toResult(result);
  });
  return async (event, context) => {
    const response = await withDeadline(
      workBudget(),
      () => handler(event, context as never),
      () => problemResponse(new DeadlineExceeded(), states.get(event)!.log),
    );
    const state = states.get(event)!;
    if (store)
      await withDeadline(
        settleBudget(),
        () => settle(store, state, response),
        () => undefined,
      );
    // HEAD runs the GET route (API Gateway and the local router send it here): same status and headers, no body.
    if (event.requestContext?.http?.method === 'HEAD') delete response.body;
    return finish(route, state, response);
  };
}
