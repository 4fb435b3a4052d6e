/**
 * Readable text on a tenant's accent colour (docs/rules.md#branding): WCAG 2.x relative luminance
 * and contrast ratio, and the choice of black or white text, whichever contrasts more. For any
 * background one of the two reaches at least √21 ≈ 4.58:1, so the choice always meets AA (4.5:1).
 * Pure: the web app and the tests use it alike.
 */

const HEX_COLOR = /^#([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})$/;

export const BLACK = '#000000';
export const WHITE = '#FFFFFF';

/** sRGB channel (0–255) to its linear value. */
function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of `#RRGGBB`, 0 (black) to 1 (white). */
export function relativeLuminance(color: string): number {
  const match = HEX_COLOR.exec(color);
  if (!match) throw new Error(`Not a #RRGGBB colour: ${color}`);
  const [r, g, b] = match.slice(1).map((h) => linear(Number.parseInt(h, 16))) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two colours, 1 to 21, the same in either order. */
export function contrastRatio(a: string, b: string): number {
  const [la, lb] = [relativeLuminance(a), relativeLuminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Black or white, whichever reads better on `background` (ties: black). */
export function textColorOn(background: string): typeof BLACK | typeof WHITE {
  return contrastRatio(background, BLACK) >= contrastRatio(background, WHITE) ? BLACK : WHITE;
}
