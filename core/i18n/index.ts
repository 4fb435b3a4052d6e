import { en, type MessageKey } from '#core/i18n/en';
import { es } from '#core/i18n/es';

/**
 * Languages of the screens and customer messages. Adding one is adding its catalogue file next
 * to en.ts and one line here. A branch's `language` is any BCP 47 tag; it is shown in the
 * catalogue of its primary subtag (`es-MX` → `es`), and in English when there is none.
 */
export type Catalogue = Record<MessageKey, string>;

export const CATALOGUES = { en, es } as const satisfies Record<string, Catalogue>;

export type Language = keyof typeof CATALOGUES;

export const LANGUAGES = Object.keys(CATALOGUES) as Language[];

/** Each language's name in itself, for language switchers. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español' };

export const DEFAULT_LANGUAGE: Language = 'en';

export function resolveLanguage(tag: string | null | undefined): Language {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as string[]).includes(primary) ? (primary as Language) : DEFAULT_LANGUAGE;
}

export type TranslationValues = Record<string, string | number>;

/** The text of `key` in `lang`, with each `{name}` replaced by `values.name`. */
export function translate(lang: Language, key: MessageKey, values: TranslationValues = {}): string {
  const text = CATALOGUES[lang][key] ?? en[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export type { MessageKey };
