import type { RouteRateLimit } from '#core/domain/rate-limit';

/** The public status routes: per client address, well above the 60 a minute a status page may need. */
export const PUBLIC_RATE_LIMITS: readonly RouteRateLimit[] = [{ per: 'ip', limit: 120, windowSeconds: 60 }];

/** Taking a ticket from afar: a few per client address, so nobody fills a branch from one phone. */
export const REMOTE_JOIN_RATE_LIMITS: readonly RouteRateLimit[] = [
  { per: 'ip', limit: 3, windowSeconds: 600 },
];
