import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { en } from '#core/i18n/en';
import { clockFor, formatsFor, localeOf } from '#core/i18n/format';
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

describe('formats', () => {
  const at = '2026-06-12T21:04:00.000Z'; // 23:04 in Madrid, 17:04 in New York

  it('tells the time in the given zone and the language of the tag, never the machine’s', () => {
    expect(clockFor('es', 'Europe/Madrid').time(at)).toBe('23:04');
    expect(clockFor('en', 'Europe/Madrid').time(at)).toBe('11:04 PM');
    expect(clockFor('en-GB', 'Europe/Madrid').time(at)).toBe('23:04');
    expect(clockFor('en', 'America/New_York').time(at)).toBe('05:04 PM');
    expect(clockFor('es', 'Europe/Madrid').day(at)).toBe('viernes, 12 de junio');
    expect(clockFor('en', 'Europe/Madrid').day(at)).toBe('Friday, June 12');
    expect(clockFor('es', 'Europe/Madrid').time(null)).toBe('—');
  });

  it('formats a language without a catalogue as English, words and dates alike', () => {
    expect(localeOf('fr-FR')).toBe('en');
    expect(clockFor('fr-FR', 'Europe/Madrid').day(at)).toBe('Friday, June 12');
    expect(localeOf('es-MX')).toBe('es-MX');
    expect(localeOf('not a tag')).toBe('en');
  });

  it('says waits, durations, shares and statuses in the screen’s language', () => {
    const [en, es] = [formatsFor('en'), formatsFor('es-ES')];
    expect([en.wait(30), es.wait(30)]).toEqual(['less than a minute', 'menos de un minuto']);
    expect([en.wait(300), es.wait(300)]).toEqual(['about 5 min', 'unos 5 min']);
    expect([en.wait(3600), es.wait(3900)]).toEqual(['about 1 h', 'aprox. 1 h 5 min']);
    expect([en.wait(null), es.wait(undefined)]).toEqual(['—', '—']);
    expect([en.duration(42), es.duration(125), es.duration(120)]).toEqual(['42 s', '2 min 5 s', '2 min']);
    expect([en.percent(99.6), es.percent(null)]).toEqual(['100 %', '—']);
    expect([en.number(1234.5), es.number(12345.5)]).toEqual(['1,234.5', '12.345,5']);
    expect([en.status('no_show'), es.status('serving')]).toEqual(['No-show', 'En atención']);
  });

  it('rounds a wait the same way in every language (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 86_400 }), (seconds) => {
        const numbers = (text: string) => text.match(/\d+/g);
        const texts = LANGUAGES.map((lang) => formatsFor(lang).wait(seconds));
        for (const text of texts) expect(numbers(text)).toEqual(numbers(texts[0]!));
      }),
    );
  });
});

/** Every source file that may show or send a catalogue text. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

describe('catalogue use', () => {
  const files = [...sources('web/src'), ...sources('core'), ...sources('functions')].filter(
    (f) => !/core\/i18n\/[a-z]{2}\.ts$/.test(f),
  );
  const code = files.map((f) => readFileSync(f, 'utf8')).join('\n');

  it('every key is used by some screen or message (a dead text is a text nobody updates)', () => {
    // Keys named in code by their prefix only: the customer messages, chosen by event and channel.
    const named = (key: string) => key.startsWith('message.') || code.includes(`'${key}'`);
    // The first keys of screens that other work converts: used once those screens are.
    const pending = new Set(['join.title', 'manage.title']);
    expect(Object.keys(en).filter((key) => !named(key) && !pending.has(key))).toEqual([]);
  });

  it('no screen formats a date or number with the browser’s defaults (toLocale…String)', () => {
    const offenders = files.filter(
      (f) => f.startsWith('web/') && /\.toLocale\w*String\(/.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
