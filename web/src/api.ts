import type { Problem } from '#core/contract/schemas/responses/common';
import type { Session as SessionBody, User } from '#core/contract/schemas/responses/identity';

/**
 * The only way the app talks to Queueline: the public HTTP API. The access token lives in memory
 * only; the refresh token in sessionStorage (this tab, until it closes), so a reload keeps the
 * session and nothing outlives the tab. The access token is renewed a minute before it expires,
 * and once more on a 401; refreshes are single-flight because refresh tokens are single-use.
 */

/** Same origin locally (the app is served under /app/); the API's URL when deployed (VITE_API_URL). */
export const API_BASE = String(import.meta.env.VITE_API_URL ?? '').replace(/\/+$/, '');

const REFRESH_KEY = 'queueline.refreshToken';
const TENANT_KEY = 'queueline.tenant';

/** A problem+json answer (or a network failure, status 0) as an Error the screens can show. */
/** Whole minutes to wait before trying again, as a 429 says (at least one). */
export const retryMinutes = (error: ApiError) => Math.max(1, Math.ceil((error.retryAfter ?? 60) / 60));

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** Seconds, from Retry-After (429, 503). */
  readonly retryAfter: number | null;

  constructor(problem: Problem, retryAfter: number | null = null) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** The last segment of the problem type, e.g. `email-not-verified`. */
  get code(): string {
    return this.problem.type.split('/').pop() ?? '';
  }
}

export interface Session {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  user: User;
  permissions: string[];
  /** Branch ids, or `['*']`. */
  branches: string[];
}

let session: Session | null = null;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<Session | null> | null = null;
const listeners = new Set<(s: Session | null) => void>();

export const currentSession = (): Session | null => session;

export function onSessionChange(listener: (s: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const can = (permission: string): boolean => session?.permissions.includes(permission) ?? false;

export const lastTenant = (): string => localStorage.getItem(TENANT_KEY) ?? '';

function decodeClaims(token: string): { perms?: string[]; branches?: string[]; exp?: number } {
  try {
    const part = token.split('.')[1] ?? '';
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(json);
  } catch {
    return {};
  }
}

function setSession(body: SessionBody | null): Session | null {
  clearTimeout(refreshTimer);
  if (!body) {
    session = null;
    sessionStorage.removeItem(REFRESH_KEY);
  } else {
    const claims = decodeClaims(body.accessToken);
    session = {
      accessToken: body.accessToken,
      expiresAt: Date.now() + body.expiresIn * 1000,
      user: body.user,
      permissions: claims.perms ?? [],
      branches: claims.branches ?? [],
    };
    sessionStorage.setItem(REFRESH_KEY, body.refreshToken);
    // Renew a minute ahead (never sooner than in 5 s), so a running screen never sees a 401.
    const lead = Math.max(5, body.expiresIn - 60) * 1000;
    refreshTimer = setTimeout(() => void refreshSession().catch(() => {}), lead);
  }
  for (const listener of listeners) listener(session);
  return session;
}

async function parse(res: Response): Promise<unknown> {
  if (res.status === 204 || res.status === 304) return null;
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) return res.json();
  return res.text();
}

function toProblem(status: number, body: unknown, statusText: string): Problem {
  if (body && typeof body === 'object' && 'title' in body) return body as Problem;
  return { type: 'about:blank', title: statusText || `HTTP ${status}`, status };
}

async function send(method: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${API_BASE}${path}`, { ...init, method, cache: 'no-store' });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'The server could not be reached. Check the connection and try again.',
    });
  }
}

/** Renews the access token with the refresh token of this tab (one request at a time). */
export function refreshSession(): Promise<Session | null> {
  if (refreshing) return refreshing;
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return Promise.resolve(null);
  refreshing = (async () => {
    try {
      const res = await send('POST', '/v1/auth/refresh', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      const body = await parse(res);
      if (res.status === 401) {
        setSession(null);
        return null;
      }
      if (!res.ok) throw new ApiError(toProblem(res.status, body, res.statusText));
      return setSession(body as SessionBody);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export async function login(tenant: string, username: string, password: string): Promise<Session> {
  const { data } = await request<SessionBody>('POST', '/v1/auth/login', {
    body: { tenant, username, password },
    auth: false,
  });
  localStorage.setItem(TENANT_KEY, tenant);
  return setSession(data)!;
}

export async function logout(): Promise<void> {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  setSession(null);
  if (refreshToken) {
    await request('POST', '/v1/auth/logout', { body: { refreshToken }, auth: false }).catch(() => {});
  }
}

/**
 * Signs a kiosk out once its account's password is given again (docs/kiosk.md): a sign-in checks
 * the password (and counts towards the account's lockout like any other), its new session is
 * ended at once, then this one. A wrong password throws that sign-in's ApiError (401; 429 once
 * too many failed).
 */
export async function leaveWithPassword(password: string): Promise<void> {
  if (!session) return;
  const { data } = await request<SessionBody>('POST', '/v1/auth/login', {
    body: { tenant: lastTenant(), username: session.user.username, password },
    auth: false,
  });
  await request('POST', '/v1/auth/logout', { body: { refreshToken: data.refreshToken }, auth: false }).catch(
    () => {},
  );
  await logout();
}

export interface RequestOptions {
  body?: unknown;
  /** Send the bearer token (default true). */
  auth?: boolean;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

/**
 * One API call. Non-2xx answers (but 304) throw an ApiError carrying the problem+json body.
 * With auth, a token about to expire is renewed first, and a 401 is retried once after a refresh.
 */
export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const auth = options.auth ?? true;
  const attempt = async (): Promise<Response> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (auth) {
      if (session && session.expiresAt - Date.now() < 30_000) await refreshSession();
      if (!session) {
        throw new ApiError({
          type: 'about:blank',
          title: 'Signed out',
          status: 401,
          detail: 'Sign in again.',
        });
      }
      headers.authorization = `Bearer ${session.accessToken}`;
    }
    return send(method, path, {
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  };
  let res = await attempt();
  if (res.status === 401 && auth && (await refreshSession())) res = await attempt();
  const data = await parse(res);
  if (!res.ok && res.status !== 304) {
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError(
      toProblem(res.status, data, res.statusText),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    );
  }
  return { status: res.status, data: data as T, headers: res.headers };
}

export const get = async <T>(path: string, options?: RequestOptions): Promise<T> =>
  (await request<T>('GET', path, options)).data;

export const post = async <T>(path: string, body?: unknown, options?: RequestOptions): Promise<T> =>
  (await request<T>('POST', path, { ...options, body })).data;

export const patch = async <T>(path: string, body: unknown): Promise<T> =>
  (await request<T>('PATCH', path, { body })).data;

/** Every page of a list route (`{ items, nextCursor }`), for the small lists of a branch's setup. */
export async function getAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const url: string = `${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await get(url);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** A fresh Idempotency-Key: one per tap, reused only when the same tap is retried. */
export const newIdempotencyKey = (): string =>
  crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
