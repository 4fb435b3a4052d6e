import { createHash } from 'node:crypto';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import {
  beforeDeadline,
  currentScope,
  type Deadline,
  enterDeadline,
  type HeldKey,
  withDeadline,
} from '#core/adapters/dynamo/request-scope';
import type { RouteDef } from '#core/contract/define';
import { emptyBody } from '#core/contract/schemas/common';
import type { Actor } from '#core/domain/actor';
import { ConflictError, ForbiddenError, ValidationError } from '#core/domain/errors';
import type { IdempotencyStore } from '#core/ports/idempotency';
import type { MetricsRecorder } from '#core/ports/metrics';
import type { RequestCounter } from '#core/ports/rate-limit';
import { enforceBudgets } from '#core/usecases/rate-limit';
import { type RequestLog, requestLog } from './logger';
import type { RequestMetrics } from './metrics';
import { problemResponse } from './problem';
import { assertJsonMediaType, assertWellFormed, bodyText, parseJson, validate } from './request';
import { runAs } from './running';
import { bodyWithContact, storedWithoutContact } from './stored-contact';

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
  /** Where the use cases report business events, on routes that give `services.metrics`. */
  metrics?: MetricsRecorder;
}

export interface HttpResult {
  status: number;
  /** Serialised as JSON unless `text` or `bytes` is given. */
  body?: unknown;
  text?: string;
  /** A binary body (an image): sent base64-encoded, as API Gateway expects. */
  bytes?: Uint8Array;
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
 *
 * `metrics` (./metrics.ts `requestMetrics`), for a route whose use cases report business events:
 * each request gathers them in its own, written out as one EMF line when it ends.
 */
export interface Services<R extends RouteDef = RouteDef> {
  idempotency?: IdempotencyStore;
  rateLimit?: RequestCounter;
  recover?: (request: HttpRequest<R>, ticketId: string) => Promise<HttpResult>;
  cursors?: CursorSeal;
  metrics?: () => RequestMetrics;
}

/**
 * Seals the `nextCursor` a list answers to the list and the caller, and opens the cursor sent
 * back (./cursor-seal.ts); a cursor that does not open is a 400.
 */
export interface CursorSeal {
  /** The cursor that `sealed` wraps, if it was sealed for this list and this caller. */
  open(route: RouteDef, actor: Actor | null, event: APIGatewayProxyEventV2, sealed: string): Promise<string>;
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

type Event = APIGatewayProxyEventV2;
type Result = APIGatewayProxyStructuredResultV2;

/** The request `impl` will see, while the steps fill it in (the actor, then the input). */
type RouteRequest = Omit<HttpRequest<RouteDef>, 'params' | 'query' | 'body' | 'actor'> & {
  params: unknown;
  query: unknown;
  body: unknown;
  actor: Actor | null;
};

/** What the steps know about one request: middy's `request.internal`, fresh for each request. */
type RequestState = {
  http: RouteRequest;
  /** performance.now() when the request arrived. */
  started: number;
  deadline: Deadline;
  /** The Idempotency-Key this request claimed, until its answer is stored or the key released. */
  claim?: HeldKey;
  /** The request's business metrics, published by `finish`. */
  metrics?: RequestMetrics;
};

/** The handler's context: Lambda's, plus the request the steps built (middy's way to hand a handler what they found). */
type RouteContext = Context & { http: RouteRequest };

/**
 * middy's `request.response`: the route's own HttpResult from the handler until `serialise`
 * writes it out; API Gateway's result from then on, and from problem+json and replays.
 */
type Answer = HttpResult | Result;

type MiddyRequest = middy.Request<Event, Result, Error, RouteContext, RequestState>;
/** One step of the chain; `R` is what it finds in `request.response` where it sits. */
type Step<R = Result> = middy.MiddlewareObj<Event, R, Error, RouteContext, RequestState>;

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers'] | undefined) {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers ?? {})) out[k.toLowerCase()] = v;
  return out;
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

/**
 * First, at the synchronous start of the invocation: the chain's 7 s (see WORK_MS). Entered
 * here, the deadline's scope reaches every later step and the handler (request-scope.ts
 * enterDeadline): their DynamoDB calls, all that the steps wait for, are aborted when it passes,
 * and the handler, which may wait for more (a mail), is raced against it. `finish` ends it.
 */
const deadline: Step = {
  before: (request) => {
    request.internal.deadline = enterDeadline(workBudget());
  },
};

/** Request id, clock and logger, and the request as `impl` will see it, handed to the handler. */
const requestScope: Step = {
  before: ({ event, internal, context }) => {
    const requestId = event.requestContext?.requestId ?? crypto.randomUUID();
    internal.started = performance.now();
    internal.http = {
      params: undefined,
      query: undefined,
      body: undefined,
      actor: null,
      path: event.rawPath,
      headers: lowerCaseHeaders(event.headers),
      requestId,
      now: new Date(),
      sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
      log: requestLog({ requestId }),
    };
    context.http = internal.http;
  },
};

/** Routes that report business events: the request's own metrics, handed to the handler on its request. */
const businessMetrics = (start: () => RequestMetrics): Step => ({
  before: ({ internal }) => {
    internal.metrics = start();
    internal.http.metrics = internal.metrics;
  },
});

/** Turns the Authorization header into the actor it names, or throws UnauthorizedError (./auth.ts). */
export type Authenticate = (authorization: string | undefined) => Promise<Actor>;

/** Bearer routes: the access token (revocations included, see ./auth.ts), then the route's permission. */
const authentication = (route: RouteDef, authenticate: Authenticate): Step => ({
  before: async ({ internal: { http } }) => {
    const actor = await authenticate(http.headers.authorization);
    http.actor = actor;
    http.log = http.log.with({ tenantId: actor.tenantId });
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
): Step => ({
  before: async ({ internal: { http } }) => {
    const checks = limits.map(({ per, ...budget }) => ({
      ...budget,
      subject: per === 'ip' ? http.sourceIp : '*',
    }));
    await enforceBudgets(countRequest, `${route.method} ${route.path}`, checks, http.now);
  },
});

/** Path, query and body against the route's schemas (a body must be labelled JSON). */
const inputValidation = (route: RouteDef): Step => {
  const { params: paramsSchema, query: querySchema, body: bodySchema } = route;
  return {
    before: ({ event, internal: { http } }) => {
      const rawQuery = event.queryStringParameters ?? {};
      assertWellFormed(rawQuery, 'query', 0);
      http.query = querySchema
        ? validate(querySchema, rawQuery, 'query')
        : Object.keys(rawQuery).length > 0 && route.path.startsWith('/v1')
          ? validate(emptyBody(), rawQuery, 'query')
          : undefined;
      http.params = paramsSchema ? validate(paramsSchema, event.pathParameters ?? {}, 'path') : undefined;
      const text = bodyText(event, route.bodyLimitBytes);
      if (bodySchema) {
        if (text !== undefined) assertJsonMediaType(http.headers['content-type']);
        http.body = validate(bodySchema, text === undefined ? {} : parseJson(text), 'body');
      } else if (text !== undefined && route.method !== 'GET' && route.method !== 'DELETE') {
        throw new ValidationError('This route takes no body');
      }
    },
  };
};

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * `Idempotency-Key`, scoped to tenant + user + route: a replay returns the first response
 * unchanged. The key is claimed before the route runs, locked until this request's deadline;
 * what the request answered is stored (or, on a 5xx, the key released so that a retry runs
 * again) once it has been serialised, within its own 1 s (SETTLE_MS). With `recover` (see
 * Services) a first request that wrote its ticket is never run again.
 */
const idempotency = <R extends RouteDef>(
  route: R,
  store: IdempotencyStore,
  recover: Services<R>['recover'],
): Step => {
  const settleWithin = async ({ internal, response }: MiddyRequest) => {
    const { claim, http } = internal;
    if (claim && response)
      await withDeadline(
        settleBudget(),
        () => settle(store, claim, response, http),
        () => undefined,
      );
  };
  return {
    before: async ({ internal }) => {
      const { http } = internal;
      const key = http.headers['idempotency-key'];
      if (key === undefined) return;
      if (!IDEMPOTENCY_KEY.test(key)) {
        throw new ValidationError('Invalid Idempotency-Key', [
          { path: 'header.idempotency-key', message: 'Must be 1-255 visible ASCII characters' },
        ]);
      }
      const actor = http.actor!;
      const scoped = sha256(`${actor.userId}\n${route.method} ${route.path}\n${key}`);
      const hash = sha256(JSON.stringify({ params: http.params, query: http.query, body: http.body }));
      const lockedUntil = new Date(http.now.getTime() + workBudget() + settleBudget());
      const claim = await store.claim(actor.tenantId, scoped, hash, http.now, lockedUntil);
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
      // An answer known already is an early response: the route does not run, and neither do the
      // after and onError steps (middy skips them), so `finish` is what completes it.
      if (claim.outcome === 'replay') {
        const { status, headers } = claim.response;
        const body = await bodyWithContact(claim.response, async (ticketId) =>
          recover ? (await recover(http as HttpRequest<R>, ticketId)).body : undefined,
        );
        return { statusCode: status, headers: { ...headers, 'idempotent-replayed': 'true' }, body };
      }
      const claimed = { tenantId: actor.tenantId, key: scoped, claimId: claim.claimId };
      if (claim.outcome === 'applied') {
        // Only a write that `recover` asked to record makes an `applied` claim. The rebuilt answer
        // is stored, so that later replays return it unchanged.
        const response = toResult(await recover!(http as HttpRequest<R>, claim.resourceId));
        await settle(store, claimed, response, http);
        return { ...response, headers: { ...response.headers, 'idempotent-replayed': 'true' } };
      }
      internal.claim = claimed;
      if (recover) currentScope()!.held = claimed;
    },
    after: settleWithin,
    onError: settleWithin,
  };
};

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
async function settle(
  store: IdempotencyStore,
  claimed: HeldKey,
  response: Result,
  http: RouteRequest,
): Promise<void> {
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
      storedWithoutContact({ status, headers, body: response.body ?? '' }),
      http.now,
    );
  } catch (error) {
    // The answer stands. A retry answers from the ticket if this request wrote one and recorded
    // it (see Services `recover`); otherwise the lock lapses at the deadline and a retry runs again.
    http.log.warn('could not store the idempotent response', { error: (error as Error).name });
  }
}

function toResult(result: HttpResult): Result {
  if (result.bytes !== undefined)
    return {
      statusCode: result.status,
      headers: result.headers,
      body: Buffer.from(result.bytes).toString('base64'),
      isBase64Encoded: true,
    };
  if (result.text !== undefined)
    return { statusCode: result.status, headers: result.headers, body: result.text };
  if (result.body === undefined) return { statusCode: result.status, headers: result.headers };
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

/** The route's HttpResult becomes API Gateway's result: JSON, unless the route gave `text`. */
const serialise: Step<Answer> = {
  after: (request) => {
    request.response = toResult(request.response as HttpResult);
  },
};

/**
 * Paginated routes: the cursor sent back is opened once the query is validated (./cursor-seal.ts;
 * one that does not open is a 400, before any read), and the `nextCursor` answered is sealed
 * before the result is serialised.
 */
const cursorSealing = (route: RouteDef, cursors: CursorSeal): Step<HttpResult> => ({
  before: async ({ event, internal: { http } }) => {
    const query = http.query as { cursor?: string };
    if (query.cursor !== undefined) query.cursor = await cursors.open(route, http.actor, event, query.cursor);
  },
  after: async ({ event, response, internal: { http } }) => {
    await cursors.seal(route, http.actor, event, response?.body);
  },
});

/** Every error, from any step, becomes problem+json (./problem.ts) — before any other step's onError sees it. */
const problemJson: Step = {
  onError: (request) => {
    request.response = problemResponse(request.error, request.internal.http.log);
  },
};

/**
 * Last, on every path — early answers (idempotent replays) included, which is why it is middy's
 * `requestEnd` hook rather than a step: the deadline ends, the business metrics are published
 * (failed requests' too: a call-next's conflicts), the headers every answer carries are set, a
 * HEAD loses its body, and one access-log line is written. /v1 answers may hold tokens
 * (login, refresh, a ticket's publicToken), so nothing stores them unless the route says
 * otherwise (the board's `no-cache` keeps its ETag).
 */
function finish(route: RouteDef, { event, internal, response }: MiddyRequest): void {
  const { deadline, http, started, metrics } = internal;
  deadline.end();
  metrics?.publish();
  if (!response) return;
  response.headers = {
    ...(route.path.startsWith('/v1/') && { 'cache-control': 'no-store' }),
    ...response.headers,
    'x-content-type-options': 'nosniff',
    'x-request-id': http.requestId,
  };
  // HEAD runs the GET route (API Gateway and the local router send it here): same status and headers, no body.
  const head = event.requestContext?.http?.method === 'HEAD';
  if (head) delete response.body;
  // Polls (boards, status pages, lists, HEAD) at debug: one line each would drown the log.
  const quiet = head || route.polled || route.paginated;
  http.log[quiet ? 'debug' : 'info']('request', {
    method: route.method,
    route: route.path,
    status: response.statusCode,
    durationMs: Math.round(performance.now() - started),
  });
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
 * The chain of both, one middy step per concern, in this order on the way in (and the reverse
 * on the way out): deadline → request scope → business metrics (routes that report them;
 * published by `finish`) → authenticate and check the permission (bearer routes) → rate limit (public routes that ask) → validate path, query and body → claim the
 * Idempotency-Key (idempotent routes; its answer is stored on the way out) → open the sealed
 * cursor (paginated routes; `nextCursor` sealed on the way out) → `impl`, then serialise. Every
 * error, from any step, leaves as problem+json, and every answer through `finish`. State lives
 * on middy's `request.internal`; the handler gets its request on its context. The whole
 * invocation runs as the route's function (./running.ts).
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
  const chain = middy<Event, Answer, Error, RouteContext, RequestState>({
    // The deadline step bounds the whole chain from arrival; middy's own timeout would race the
    // handler alone against the Lambda's remaining time.
    timeoutEarlyInMillis: 0,
    requestEnd: (request) => finish(route, request as MiddyRequest),
  })
    .use(deadline)
    .use(requestScope);
  if (given.metrics) chain.use(businessMetrics(given.metrics));
  if (route.auth === 'bearer') {
    // The types send bearer routes to `endpoint`; this stops an untyped caller serving one unauthenticated.
    if (!authenticate) throw new Error(`${route.function}: a bearer route, use endpoint`);
    chain.use(authentication(route, authenticate));
  }
  if (limits && countRequest) chain.use(rateLimit(route, limits, countRequest));
  chain.use(inputValidation(route));
  if (store) chain.use(idempotency(route, store, given.recover));
  chain.use(serialise);
  if (cursors) chain.use(cursorSealing(route, cursors));
  // Last in, so first out of an error: the onError steps above see it as problem+json.
  chain.use(problemJson);
  // What the chain answers is API Gateway's result: `serialise`, problem+json and replays see to it.
  const handler = chain.handler((_event, context) => beforeDeadline(impl(context.http as HttpRequest<R>)));
  return runAs(route, handler as unknown as Handler);
}
