import { type Branding, type LogoRef, logoPath, NO_BRANDING, parseLogo } from '#core/domain/branding';
import { ConflictError, NotFoundError } from '#core/domain/errors';
import type { BrandingChange, BrandingStore, TenantSettingsRecord } from '#core/ports/branding';
import type { Caller } from '#core/usecases/scope';

/** The organisation's settings (docs/rules.md#branding): read and changed by its administrators. */
export interface TenantSettingsContext extends Caller {
  branding: BrandingStore;
}

/** Branding as the API shows it: the logo as the public path of its bytes, never the bytes. */
export interface BrandingView {
  displayName: string | null;
  accentColor: string | null;
  logoUrl: string | null;
}

export const brandingView = (
  tenantId: string,
  { displayName, accentColor, logo }: Branding,
): BrandingView => ({
  displayName,
  accentColor,
  logoUrl: logo ? logoPath(tenantId, logo) : null,
});

export interface TenantSettingsView {
  id: string;
  slug: string;
  name: string;
  branding: BrandingView;
  createdAt: string;
  updatedAt: string;
}

const view = ({ tenant, branding, createdAt, updatedAt }: TenantSettingsRecord): TenantSettingsView => ({
  ...tenant,
  branding: brandingView(tenant.id, branding),
  createdAt,
  updatedAt,
});

async function settingsOf(ctx: TenantSettingsContext): Promise<TenantSettingsRecord> {
  const settings = await ctx.branding.settings(ctx.actor.tenantId);
  if (!settings) throw new NotFoundError('Tenant');
  return settings;
}

export async function getTenantSettings(ctx: TenantSettingsContext): Promise<TenantSettingsView> {
  return view(await settingsOf(ctx));
}

export interface BrandingInput {
  branding?: { displayName?: string | null; accentColor?: string | null; logo?: string | null };
}

/** Tries before a logo changed by others meanwhile ends in a 409. */
const ATTEMPTS = 3;

/**
 * Changes the branding: the logo is checked first (a 400 changes nothing); then the change is
 * written against the logo read, re-read and retried if another change replaced it meanwhile.
 */
export async function updateTenantSettings(
  ctx: TenantSettingsContext,
  input: BrandingInput,
): Promise<TenantSettingsView> {
  const given = input.branding ?? {};
  const change: BrandingChange = {
    displayName: given.displayName,
    accentColor: given.accentColor?.toUpperCase() ?? given.accentColor,
    logo: typeof given.logo === 'string' ? parseLogo(given.logo) : given.logo,
  };
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await settingsOf(ctx);
    const outcome = await ctx.branding.update(
      ctx.actor.tenantId,
      change,
      current.branding.logo?.id ?? null,
      ctx.now,
    );
    if (outcome === 'missing') throw new NotFoundError('Tenant');
    if (outcome === 'updated') return view(await settingsOf(ctx));
  }
  throw new ConflictError('concurrent-change', 'The logo was changed meanwhile; read the settings and retry');
}

/** What the staff screens (kiosk, board) show of the organisation. */
export async function getBranding(ctx: TenantSettingsContext): Promise<BrandingView> {
  const branding = await ctx.branding.branding(ctx.actor.tenantId);
  if (!branding) throw new NotFoundError('Tenant');
  return brandingView(ctx.actor.tenantId, branding);
}

/** The public logo: only the tenant's current one (an older version's path is a 404). */
export async function publicLogo(
  ctx: Pick<TenantSettingsContext, 'branding'>,
  { tenantId, logoId }: { tenantId: string; logoId: string },
): Promise<{ contentType: LogoRef['contentType']; bytes: Uint8Array }> {
  const logo = await ctx.branding.logo(tenantId, logoId);
  if (!logo) throw new NotFoundError('Logo');
  return logo;
}

/**
 * The branding a customer screen shows (status page, join page): one read. A tenant that is gone
 * (or unknown) shows none rather than fail.
 */
export const publicBranding = async (
  ctx: { branding: Pick<BrandingStore, 'branding'> },
  tenantId: string,
): Promise<BrandingView> => brandingView(tenantId, (await ctx.branding.branding(tenantId)) ?? NO_BRANDING);
