import { REVOCATION_CACHE_MS, type Revocations } from '#core/domain/revocation';
import type { RevocationStore } from '#core/ports/revocations';

export interface RevocationCache {
  /** The tenant's revocations, read at most once per `ttlMs` (concurrent callers share a read). */
  get(tenantId: string, now: Date): Promise<Revocations>;
  /** Forgets every read, as if the time-to-live had passed (tests, benchmarks). */
  expire(): void;
}

/**
 * The in-memory cache that keeps revocation checks off the hot path: one read per tenant and
 * `ttlMs` per process, whatever the request rate. An entry's age counts from the moment its
 * read started, so a change acknowledged before that read is refused at most `ttlMs` + one
 * read later. A failed read is not kept: the next request reads again.
 */
export function revocationCache(store: RevocationStore, ttlMs = REVOCATION_CACHE_MS): RevocationCache {
  const entries = new Map<string, { readAt: number; revocations: Promise<Revocations> }>();
  // A clock set back counts as expiry too: an entry is never trusted "from the future".
  const fresh = (readAt: number, at: number) => at >= readAt && at - readAt < ttlMs;
  return {
    get(tenantId, now) {
      const at = now.getTime();
      const cached = entries.get(tenantId);
      if (cached && fresh(cached.readAt, at)) return cached.revocations;
      // Tenants not seen for a while would otherwise stay in memory for the process's life.
      for (const [id, entry] of entries) if (!fresh(entry.readAt, at)) entries.delete(id);
      const revocations = store.recent(tenantId, now);
      const entry = { readAt: at, revocations };
      entries.set(tenantId, entry);
      revocations.catch(() => {
        if (entries.get(tenantId) === entry) entries.delete(tenantId);
      });
      return revocations;
    },
    expire() {
      entries.clear();
    },
  };
}
