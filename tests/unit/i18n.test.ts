import { describe, expect, it } from 'vitest';
import { en } from '#core/i18n/en';
import { CATALOGUES, LANGUAGES, resolveLanguage, translate } from '#core/i18n/index';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it.each(LANGUAGES)('%s has every key of the English catalogue, no other, none empty', (lang) => {
    const catalogue: Record<string, string> = CATALOGUES[lang];
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(catalogue)) expect(text.trim(), key).not.toBe('');
  });

  it.each(LANGUAGES)('%s fills in the same values as English in every text', (lang) => {
    const catalogue: Record<string, string> = CATALOGUES[lang];
    for (const [key, text] of Object.entries(en))
      expect(placeholders(catalogue[key] ?? ''), key).toEqual(placeholders(text));
  });
});

describe('resolveLanguage', () => {
  it.each([
    ['es', 'es'],
    ['es-ES', 'es'],
    ['ES_mx', 'es'],
    ['en-GB', 'en'],
    ['fr', 'en'],
    ['', 'en'],
    [null, 'en'],
  ])('%s → %s', (tag, lang) => expect(resolveLanguage(tag)).toBe(lang));
});

it('translate fills in values and leaves unknown ones visible', () => {
  expect(translate('es', 'message.near', { code: 'A-001', position: 3 })).toContain('A-001');
  expect(translate('en', 'message.near', { code: 'A-001' })).toContain('{position}');
});
