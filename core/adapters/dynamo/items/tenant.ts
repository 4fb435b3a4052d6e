import type { Branding, LogoType } from '#core/domain/branding';
import type { Tenant } from '#core/domain/tenant';

/** Every key of a tenant's own data starts with this partition prefix. */
export const tenantPartition = (tenantId: string) => `T#${tenantId}`;

export const tenantKey = (tenantId: string) => ({ pk: tenantPartition(tenantId), sk: 'TENANT' });

/** Global claim that keeps slugs unique; looked up by login before the tenant is known. */
export const slugClaimKey = (slug: string) => ({ pk: `SLUG#${slug}`, sk: 'SLUG' });

/** E-mail verification token, by the SHA-256 of the token (never the token itself). */
export const verificationKey = (tokenHash: string) => ({ pk: `VERIFY#${tokenHash}`, sk: 'VERIFY' });

export interface TenantItem extends Tenant, TenantBrandingAttributes {
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

/**
 * The tenant's branding lives on its item as flat attributes (`brandName`, `brandColor`,
 * `logoId`, `logoType`): one small read for a status page. The logo's bytes live in an item of
 * their own, keyed by the logo's version, so that nothing else ever reads them.
 */
export interface TenantBrandingAttributes {
  brandName?: string;
  brandColor?: string;
  logoId?: string;
  logoType?: LogoType;
}

export function brandingFromItem(item: Record<string, unknown>): Branding {
  const i = item as TenantBrandingAttributes;
  return {
    displayName: i.brandName ?? null,
    accentColor: i.brandColor ?? null,
    logo: i.logoId && i.logoType ? { id: i.logoId, contentType: i.logoType } : null,
  };
}

export const LOGO_PREFIX = 'LOGO#';

/** A logo's bytes: in the tenant's partition, by its version (a hash of the bytes). */
export const logoKey = (tenantId: string, logoId: string) => ({
  pk: tenantPartition(tenantId),
  sk: `${LOGO_PREFIX}${logoId}`,
});

export interface LogoItem {
  pk: string;
  sk: string;
  type: 'logo';
  contentType: LogoType;
  /** At most 200 KiB: the item stays well under DynamoDB's 400 KB. */
  bytes: Uint8Array;
  createdAt: string;
}
