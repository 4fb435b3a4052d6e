import type { RouteRateLimit } from '#core/domain/rate-limit';

/** The public status routes: per client address, well above the 60 a minute a status page may need. */
export const PUBLIC_RATE_LIMITS: readonly RouteRateLimit[] = [{ per: 'ip', limit: 120, windowSeconds: 60 }];
