import type * as z from 'zod/mini';
import type { Permission } from '../../core/domain/permissions';

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
  /** Honour `Idempotency-Key` (replays return the first response). */
  idempotent?: boolean;
  /** Public routes: requests allowed per client IP and minute before 429. */
  rateLimitPerMinute?: number;
  /** Headers the route reads, documented in OpenAPI. */
  requestHeaders?: Record<string, string>;
}

export const route = <const R extends RouteDef>(definition: R): R => definition;
