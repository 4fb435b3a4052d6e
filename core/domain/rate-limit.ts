/**
 * Request budgets: at most `limit` requests in each fixed window of `windowSeconds` (windows
 * start at multiples of `windowSeconds` since the epoch). A route lists its budgets per client
 * address (`ip`) or shared by every client (`global`); a use case adds per-account ones, which
 * need the request body.
 */
export interface Budget {
  limit: number;
  windowSeconds: number;
}

export interface RouteRateLimit extends Budget {
  per: 'ip' | 'global';
}
