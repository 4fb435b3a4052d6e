import type { Revocations } from '#core/domain/revocation';

/** The revocations of a tenant that can still refuse a live access token at `now`. */
export interface RevocationStore {
  recent(tenantId: string, now: Date): Promise<Revocations>;
}
