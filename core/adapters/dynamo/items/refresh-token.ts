import type { RefreshFamily, RefreshTokenRecord } from '#core/ports/sessions';
import { tenantPartition } from './tenant';

/** A refresh token, by the SHA-256 of the token; looked up before the tenant is known. */
export const refreshTokenKey = (tokenHash: string) => ({ pk: `RT#${tokenHash}`, sk: 'RT' });

/** One login: every refresh token it rotates through points at it; revoking it ends them all. */
export const familyKey = (tenantId: string, familyId: string) => ({
  pk: tenantPartition(tenantId),
  sk: `RTF#${familyId}`,
});

export interface RefreshTokenItem {
  pk: string;
  sk: string;
  type: 'refresh-token';
  tenantId: string;
  userId: string;
  familyId: string;
  state: 'active' | 'rotated';
  expiresAt: string;
  ttl: number;
}

export function refreshTokenFromItem(item: Record<string, unknown>): RefreshTokenRecord {
  const i = item as unknown as RefreshTokenItem;
  return {
    tenantId: i.tenantId,
    userId: i.userId,
    familyId: i.familyId,
    state: i.state,
    expiresAt: new Date(i.expiresAt),
  };
}

export interface FamilyItem {
  pk: string;
  sk: string;
  type: 'refresh-family';
  userId: string;
  sessionEpoch: number;
  createdAt: string;
  lastUsedAt: string;
  revokedAt?: string;
  ttl: number;
}

export function familyFromItem(item: Record<string, unknown>): RefreshFamily {
  const i = item as unknown as FamilyItem;
  return { userId: i.userId, sessionEpoch: i.sessionEpoch, revokedAt: i.revokedAt ?? null };
}
