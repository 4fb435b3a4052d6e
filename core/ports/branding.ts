import type { Branding, Logo, LogoType } from '#core/domain/branding';
import type { Tenant } from '#core/domain/tenant';

/** A tenant with its settings, as its administrator sees them. */
export interface TenantSettingsRecord {
  tenant: Tenant;
  branding: Branding;
  createdAt: string;
  updatedAt: string;
}

/** A branding change: an absent field stays, `null` clears it. */
export interface BrandingChange {
  displayName?: string | null;
  accentColor?: string | null;
  logo?: Logo | null;
}

export interface BrandingStore {
  /** The tenant and its settings (strongly consistent); undefined for no such tenant. */
  settings(tenantId: string): Promise<TenantSettingsRecord | undefined>;
  /** Its branding only, for customer screens (eventually consistent: one small read). */
  branding(tenantId: string): Promise<Branding | undefined>;
  /**
   * Applies the change at once: the tenant's fields, the new logo's bytes stored, the old one's
   * deleted — provided the tenant's logo is still `currentLogoId` ('changed' otherwise, nothing
   * written; 'missing' for no such tenant).
   */
  update(
    tenantId: string,
    change: BrandingChange,
    currentLogoId: string | null,
    now: Date,
  ): Promise<'updated' | 'changed' | 'missing'>;
  /** A logo's bytes, while it is the tenant's. */
  logo(tenantId: string, logoId: string): Promise<{ contentType: LogoType; bytes: Uint8Array } | undefined>;
}
