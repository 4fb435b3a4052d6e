import type * as z from 'zod/mini';
import type { Permission } from '#core/domain/permissions';
import type { RouteRateLimit } from '#core/domain/rate-limit';

/**
 * The shape of one entry of THE route table (infra/routes/index.ts). sst.config.ts creates one
 * Lambda per entry, the local server dispatches by it, the OpenAPI generator documents it, and
 * each handler reads its own entry for its permission and schemas.
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface ResponseDef {
  description: string;
  schema?: z.ZodMiniType;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteDef {
  method: Method;
  /** API Gateway path template, e.g. `/v1/branches/{branchId}/tickets`. */
  path: string;
  /** File name under functions/ (without extension); one Lambda per route. */
  function: string;
  summary: string;
  tag: string;
  /** `bearer`: a valid access token is required; `none`: public. */
  auth: 'bearer' | 'none';
  /** Permission the token must carry; omitted = any authenticated user. */
  permission?: Permission;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Request body schema; action routes use EmptyBody (no body or `{}`). */
  body?: z.ZodMiniType;
  responses: Record<number, ResponseDef>;
  /** Honour `Idempotency-Key` (replays return the first response). The handler passes the store. */
  idempotent?: boolean;
  /**
   * Public routes: request budgets, per client IP or shared by all clients, checked in order before
   * any other work (429 with Retry-After once one is spent). The handler passes the counter.
   */
  rateLimits?: readonly RouteRateLimit[];
  /**
   * A list (`?limit`, `?cursor` → `{ items, nextCursor }`): its cursors are sealed to the list and
   * the caller (functions/commons/cursor-seal.ts), so its function gets the cursor key. The
   * handler passes the seal.
   */
  paginated?: boolean;
  /** Headers the route reads, documented in OpenAPI. */
  requestHeaders?: Record<string, string>;
}

/** The parts of an entry that are built on first read: schemas cost CPU, the rest is plain data. */
type DeferredKey = 'params' | 'query' | 'body' | 'responses';
const DEFERRED: readonly DeferredKey[] = ['params', 'query', 'body', 'responses'];

/** A value, or a function that builds it when the entry's property is first read. */
export type Deferred<T> = T | (() => T);

/**
 * How an entry is written: a RouteDef whose schemas and responses may be given as functions
 * (a `lazy` schema factory of core/schemas, or an inline `() => …`).
 */
export type RouteSpec = Omit<RouteDef, DeferredKey> & {
  params?: Deferred<z.ZodMiniType>;
  query?: Deferred<z.ZodMiniType>;
  body?: Deferred<z.ZodMiniType>;
  responses: Deferred<Record<number, ResponseDef>>;
};

type Built<T> = T extends () => infer U ? U : T;

/** The entry `route(spec)` returns: the spec with every deferred part replaced by what it builds. */
export type Route<S extends RouteSpec> = { [K in keyof S]: K extends DeferredKey ? Built<S[K]> : S[K] };

/**
 * Defines one entry. Schemas and responses given as functions become properties that build
 * their value on first read and keep it: importing the table builds no schema, a function's
 * handler (functions/commons/http.ts) builds its own route's params, query and body and nothing
 * else of its area, and response schemas are built only by the OpenAPI generator. Readers see
 * plain RouteDef values either way.
 */
export function route<const S extends RouteSpec>(spec: S): Route<S> {
  const entry: Record<string, unknown> = { ...spec };
  for (const key of DEFERRED) {
    const build = spec[key];
    if (typeof build !== 'function') continue;
    Object.defineProperty(entry, key, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build();
        Object.defineProperty(entry, key, { value, enumerable: true, configurable: true, writable: false });
        return value;
      },
    });
  }
  return entry as Route<S>;
}
