import type * as z from 'zod/mini';
import type { Permission } from '#core/domain/permissions';
import type { RouteRateLimit } from '#core/domain/rate-limit';
import type * as responseSchemas from './schemas/responses/index';

/**
 * The shape of the HTTP contract: one RouteDef per route (core/contract/routes/<area>/<function>.ts,
 * listed once in THE table, core/contract/index.ts), and a FunctionDef for each function that
 * is not a route. Pure data: the functions, the local server, the OpenAPI generator, infra/ and
 * the tests read it; nothing here imports them.
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * How a function is deployed, where it differs from every other function (the defaults are in
 * infra/functions.ts). infra/ and scripts/build.ts read these; the handler never does.
 */
export interface Deploy {
  /**
   * Memory in MB. Lambda allots CPU in proportion to memory: the functions that hash passwords
   * with an OWASP-strength scrypt need 1024; I/O-bound ones are fine with the default 512.
   */
  memoryMb?: 512 | 1024;
  /** Seconds. Routes keep the default 15: API Gateway gives up on an integration after 30 s. */
  timeoutSeconds?: number;
  /** A route that sends mail through SES: gets `ses:SendEmail` on the account's identities, or SES refuses it. */
  sendsMail?: true;
  /** Hands work to the day-close queue: gets its URL (CLOSE_QUEUE_URL) and `sqs:SendMessage` on it. */
  sendsToCloseQueue?: true;
  /**
   * Files the function reads at run time besides its bundle, relative to the repo root. SST copies
   * each to the same relative path inside the function package, and scripts/build.ts next to the
   * bundle, so a handler that resolves them with `createRequire(import.meta.url)` finds them in
   * AWS, in dist/ and under tsx.
   */
  assets?: readonly string[];
  /**
   * Its DynamoDB access, where the default of core/contract/access.ts does not fit: `'none'` for
   * a function that never touches the table, or exactly these actions on the table itself
   * (`table: true`) and on these indexes.
   */
  dynamo?: DynamoAccess | 'none';
  /** Signs access tokens: the only functions the private signing keys are linked to. */
  signsTokens?: true;
  /** Publishes the public signing keys (/.well-known/jwks.json): gets the public JWKS like a verifier. */
  publishesJwks?: true;
  /** Tells clients where the live channels are: gets the push server's URL (LIVE_URL). */
  announcesLive?: true;
  /** Verifies access tokens without being a bearer route (a live channel's subscribe): gets the public JWKS. */
  verifiesTokens?: true;
  /**
   * Sends on the AWS push service's connections: gets its management endpoint
   * (LIVE_MANAGEMENT_URL) and `execute-api:ManageConnections` on that WebSocket API only.
   */
  pushesLive?: true;
  /** Publishes the web push (VAPID) public key: gets it as QUEUELINE_VAPID_PUBLIC_KEY, never the private one. */
  publishesPushKey?: true;
  /**
   * Sends customers' messages (docs/notifications.md): gets `ses:SendEmail`, `sms-voice:SendTextMessage`,
   * the sender settings and the VAPID key pair (the `VapidKeys` secret, linked to it alone).
   */
  sendsMessages?: true;
}

/** DynamoDB actions (`dynamodb:…`) on the table and some of its indexes: one IAM statement. */
export interface DynamoAccess {
  actions: readonly string[];
  table?: true;
  indexes?: readonly string[];
}

/** One Lambda: the file functions/<function>.ts exporting `handler`, and how it is deployed. */
export interface FunctionDef {
  function: string;
  deploy?: Deploy;
}

/** The name of a response schema: an export of core/contract/schemas/responses/. */
export type ResponseName = keyof typeof responseSchemas;

/** A documented answer. `schema` names its body's schema in core/contract/schemas/responses. */
export interface ResponseDef<Name extends string = ResponseName> {
  description: string;
  schema?: Name;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteDef<Name extends string = ResponseName> extends FunctionDef {
  method: Method;
  /** API Gateway path template, e.g. `/v1/branches/{branchId}/tickets`. */
  path: string;
  summary: string;
  tag: string;
  /** `bearer`: a valid access token is required; `none`: public. */
  auth: 'bearer' | 'none';
  /** Permission the token must carry; omitted = any authenticated user. */
  permission?: Permission;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  /** Request body schema; action routes use emptyBody() (no body or `{}`). */
  body?: z.ZodMiniType;
  /** Bytes a body may hold (413 past them); 64 KiB unless a route needs more (a logo). */
  bodyLimitBytes?: number;
  responses: Record<number, ResponseDef<Name>>;
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
  /**
   * Screens read it again and again (a board, a status page, the manager's today): its access
   * log line is at debug level, like every list's and every HEAD's, so polls do not drown the log.
   */
  polled?: true;
}

/** Defines one entry, keeping its literal types (`auth: 'bearer'`, `idempotent: true`) for the handler's types. */
export const route = <const R extends RouteDef>(entry: R): R => entry;
