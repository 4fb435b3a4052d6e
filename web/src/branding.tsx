import { useEffect, useState } from 'preact/hooks';
import type { Branding } from '#core/contract/schemas/responses/tenant';
import { textColorOn } from '#core/domain/contrast';
import { API_BASE, get } from './api';

/**
 * The organisation's branding on the customer screens (kiosk, board, status page, join page):
 * its name and logo in a band of its accent colour, whose text is black or white — whichever
 * contrasts more (core/domain/contrast.ts: always WCAG AA, 4.5:1 or more). Without branding the
 * band shows the branch's name on the app's own colours.
 */

/** The staff screens' branding (kiosk, board): read once per page load, any signed-in user may. */
let staffBranding: Promise<Branding> | null = null;

export function useStaffBranding(): Branding | null {
  const [branding, setBranding] = useState<Branding | null>(null);
  useEffect(() => {
    staffBranding ??= get<Branding>('/v1/tenant/branding');
    let live = true;
    staffBranding.then(
      (b) => live && setBranding(b),
      () => {
        staffBranding = null; // shown without branding; the next screen asks again
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return branding;
}

/** Whether the organisation set any branding (screens without it keep their own look). */
export const hasBranding = (b: Branding | null | undefined): b is Branding =>
  !!b && (b.displayName !== null || b.accentColor !== null || b.logoUrl !== null);

/** CSS custom properties of the accent colour and its readable text, for a screen's root element. */
export function brandStyle(branding: Branding | null | undefined): Record<string, string> | undefined {
  const accent = branding?.accentColor;
  return accent ? { '--accent': accent, '--accent-ink': textColorOn(accent) } : undefined;
}

/** The logo's address: a path of the API. */
export const logoSrc = (branding: Branding | null | undefined): string | null =>
  branding?.logoUrl ? `${API_BASE}${branding.logoUrl}` : null;

/** The band: logo and name (the branding's, else `fallbackName`) on the accent colour. */
export function BrandBand({
  branding,
  fallbackName,
  logo,
  children,
}: {
  branding: Branding | null | undefined;
  fallbackName: string;
  /** Another logo than the branding's (the setup's preview of one not saved yet). */
  logo?: string | null;
  children?: preact.ComponentChildren;
}) {
  const src = logo === undefined ? logoSrc(branding) : logo;
  const name = branding?.displayName ?? fallbackName;
  return (
    <div class="brand-band" style={brandStyle(branding)} data-testid="brand-band">
      {/* The name beside it says who it is: the logo is decoration for screen readers. */}
      {src ? <img class="brand-logo" src={src} alt="" data-testid="brand-logo" /> : null}
      <span class="brand-name" data-testid="brand-name">
        {name}
      </span>
      {children}
    </div>
  );
}
