import type { Tenant } from '#core/domain/tenant';

/** Every key of a tenant's own data starts with this partition prefix. */
export const tenantPartition = (tenantId: string) => `T#${tenantId}`;

export const tenantKey = (tenantId: string) => ({ pk: tenantPartition(tenantId), sk: 'TENANT' });

/** Global claim that keeps slugs unique; looked up by login before the tenant is known. */
export const slugClaimKey = (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' });

/** E-mail verification token, by the SHA-256 of the token (never the token itself). */
export const verificationKey = (tokenHash: string) => ({ pk: `VERIFY#${tokenHash}`, sk: 'VERIFY' });

export interface TenantItem extends Tenant {
  pk: string;
  sk: string;
  type: 'tenant';
  verified: boolean;
  createdAt: string;
  updatedAt: string;
  ttl?: number;
}

export function tenantToItem(tenant: Tenant, verified: boolean, now: Date, ttl?: number): TenantItem {
  const at = now.toISOString();
  return {
    ...tenantKey(tenant.id),
    type: 'tenant',
    ...tenant,
    verified,
    createdAt: at,
    updatedAt: at,
    ttl,
  };
}

export interface SlugClaimItem {
  pk: string;
  sk: string;
  type: 'slug';
  tenantId: string;
  verified: boolean;
  ttl?: number;
}

export interface VerificationItem {
  pk: string;
  sk: string;
  type: 'verification';
  tenantId: string;
  userId: string;
  slug: string;
  usernameLower: string;
  ttl: number;
}
