import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOGO_MAX_BYTES, parseLogo } from '#core/domain/branding';
import { BLACK, contrastRatio, relativeLuminance, textColorOn, WHITE } from '#core/domain/contrast';
import { dataUrl, GIF, png, WEBP_LOSSLESS, WEBP_LOSSY } from '#tests/support/images';

const hexColor = fc
  .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
  .map((rgb) => `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`);

describe('contrast (WCAG 2.x)', () => {
  it('gives the known ratios', () => {
    expect(contrastRatio(BLACK, WHITE)).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', WHITE)).toBeCloseTo(4.48, 2); // the classic "just fails AA" grey
    expect(contrastRatio('#767676', WHITE)).toBeCloseTo(4.54, 2); // … and the one that passes
    expect(relativeLuminance('#FF0000')).toBeCloseTo(0.2126, 4);
    expect(relativeLuminance('#00ff00')).toBeCloseTo(0.7152, 4);
  });

  it('picks the text colour that reads', () => {
    expect(textColorOn('#FFFFFF')).toBe(BLACK);
    expect(textColorOn('#000000')).toBe(WHITE);
    expect(textColorOn('#1E88E5')).toBe(BLACK); // a mid blue: black reads better (5.7 vs 3.7)
    expect(textColorOn('#0D47A1')).toBe(WHITE);
    expect(textColorOn('#FFEB3B')).toBe(BLACK);
  });

  it('refuses what is not #RRGGBB', () => {
    expect(() => relativeLuminance('red')).toThrow();
    expect(() => relativeLuminance('#12345')).toThrow();
  });

  it('always reaches AA (4.5:1) with the chosen colour, never less than the other (property)', () => {
    fc.assert(
      fc.property(hexColor, (bg) => {
        const chosen = textColorOn(bg);
        const other = chosen === BLACK ? WHITE : BLACK;
        expect(contrastRatio(bg, chosen)).toBeGreaterThanOrEqual(4.5);
        expect(contrastRatio(bg, chosen)).toBeGreaterThanOrEqual(contrastRatio(bg, other));
      }),
    );
  });

  it('is symmetric and between 1 and 21 (property)', () => {
    fc.assert(
      fc.property(hexColor, hexColor, (a, b) => {
        const ratio = contrastRatio(a, b);
        expect(ratio).toBeCloseTo(contrastRatio(b, a), 10);
        expect(ratio).toBeGreaterThanOrEqual(1);
        expect(ratio).toBeLessThanOrEqual(21 + 1e-9);
        expect(contrastRatio(a, a)).toBeCloseTo(1, 10);
      }),
    );
  });
});

describe('parseLogo', () => {
  it('reads PNG and WebP by their content, with their size', () => {
    expect(parseLogo(dataUrl('image/png', png(40, 20)))).toMatchObject({
      contentType: 'image/png',
      width: 40,
      height: 20,
      id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    });
    for (const webp of [WEBP_LOSSY, WEBP_LOSSLESS])
      expect(parseLogo(dataUrl('image/webp', webp))).toMatchObject({
        contentType: 'image/webp',
        width: 1,
        height: 1,
      });
    // No declared type: the content decides.
    expect(parseLogo(`data:;base64,${WEBP_LOSSY.toString('base64')}`).contentType).toBe('image/webp');
  });

  it('gives the same id to the same bytes and another to others', () => {
    const a = png(3, 3, [1, 2, 3, 255]);
    expect(parseLogo(dataUrl('image/png', a)).id).toBe(parseLogo(dataUrl('image/png', a)).id);
    expect(parseLogo(dataUrl('image/png', png(3, 3, [1, 2, 4, 255]))).id).not.toBe(
      parseLogo(dataUrl('image/png', a)).id,
    );
  });

  const refused: Array<[string, string]> = [
    ['a GIF', dataUrl('image/gif', GIF)],
    ['a GIF named PNG', dataUrl('image/png', GIF)],
    ['text named PNG', dataUrl('image/png', Buffer.from('<svg onload="alert(1)"/>'))],
    ['a WebP named PNG', dataUrl('image/png', WEBP_LOSSY)],
    ['a PNG named WebP', dataUrl('image/webp', png(2, 2))],
    ['a truncated PNG', dataUrl('image/png', png(8, 8).subarray(0, 60))],
    ['a PNG with bytes after IEND', dataUrl('image/png', Buffer.concat([png(2, 2), Buffer.from('<html>')]))],
    ['a PNG whose IHDR CRC is wrong', dataUrl('image/png', Buffer.from(png(2, 2)).fill(0, 29, 33))],
    ['a PNG of 0 pixels', dataUrl('image/png', png(0, 1))],
    ['a PNG wider than 4096 px', dataUrl('image/png', png(5000, 1))],
    ['a WebP whose RIFF size lies', dataUrl('image/webp', Buffer.concat([WEBP_LOSSY, Buffer.alloc(2)]))],
    ['not base64', 'data:image/png;base64,@@@@'],
    ['not a data URL', 'https://example.com/logo.png'],
    ['a PNG over 200 KiB', dataUrl('image/png', png(228, 228, 'noise'))],
  ];
  it.each(refused)('refuses %s with a 400 on body.branding.logo', (_, url) => {
    expect(() => parseLogo(url)).toThrow(expect.objectContaining({ status: 400 }));
    try {
      parseLogo(url);
    } catch (error) {
      expect((error as { extra: { errors: { path: string }[] } }).extra.errors[0]!.path).toBe(
        'body.branding.logo',
      );
    }
  });

  it('the noise PNG above is indeed over the limit (the case tests the limit, not a parse error)', () => {
    expect(png(228, 228, 'noise').length).toBeGreaterThan(LOGO_MAX_BYTES);
  });
});
