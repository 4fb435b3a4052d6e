import { type ComponentChildren, createContext } from 'preact';
import { useContext, useEffect } from 'preact/hooks';
import {
  DEFAULT_LANGUAGE,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  type MessageKey,
  type TranslationValues,
  translate,
} from '#core/i18n/index';

/**
 * The screens' words come from the catalogues in core/i18n (one file per language, shared with
 * the customer messages the server sends). A screen renders inside `<LanguageProvider lang>`;
 * its components call `useT()` for `t(key, values)` and `useLanguage()` for the language code.
 * The provider keeps `<html lang>` in step.
 */
export type Translate = (key: MessageKey, values?: TranslationValues) => string;

const LanguageContext = createContext<Language>(DEFAULT_LANGUAGE);

export function LanguageProvider({ lang, children }: { lang: Language; children: ComponentChildren }) {
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  return <LanguageContext.Provider value={lang}>{children}</LanguageContext.Provider>;
}

export const useLanguage = (): Language => useContext(LanguageContext);

export function useT(): Translate {
  const lang = useLanguage();
  return (key, values) => translate(lang, key, values);
}

/** A switcher between the languages that have a catalogue, each named in itself. */
export function LanguageSwitcher({
  value,
  onChange,
}: {
  value: Language;
  onChange: (lang: Language) => void;
}) {
  const t = useT();
  return (
    <label class="language-switcher">
      <span class="sr-only">{t('common.language')}</span>
      <select value={value} onChange={(e) => onChange(e.currentTarget.value as Language)}>
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
