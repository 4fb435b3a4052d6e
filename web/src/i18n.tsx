import { type ComponentChildren, createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { type Clock, clockFor, type Formats, formatsFor, localeOf } from '#core/i18n/format';
import {
  DEFAULT_LANGUAGE,
  LANGUAGE_NAMES,
  LANGUAGES,
  type Language,
  type MessageKey,
  resolveLanguage,
  type TranslationValues,
  translate,
} from '#core/i18n/index';

/**
 * The screens' words come from the catalogues in core/i18n (one file per language, shared with
 * the customer messages the server sends). A screen renders inside `<LanguageProvider lang>`;
 * its components call `useT()` for `t(key, values)`, `useFormat()` for waits and numbers,
 * `useClock(timeZone)` for times and dates, and `useLanguage()` for the language code.
 *
 * Which language: customer screens (status, board, kiosk, join) take the branch's `language`, and
 * on the kiosk, status and join pages the customer may switch (`useCustomerLanguage`); staff
 * screens take the user's choice kept in this browser (`useStaffLanguage`).
 */
export type Translate = (key: MessageKey, values?: TranslationValues) => string;

interface LanguageState {
  lang: Language;
  /** The BCP 47 tag `Intl` formats with (`en-GB`: a 24-hour clock), of the same language as `lang`. */
  locale: string;
  depth: number;
}

const LanguageContext = createContext<LanguageState>({
  lang: DEFAULT_LANGUAGE,
  locale: DEFAULT_LANGUAGE,
  depth: 0,
});

/** The mounted providers: `<html lang>` is the innermost one's (a board inside the staff shell). */
const mounted = new Map<symbol, { depth: number; locale: string }>();
function applyHtmlLang() {
  let innermost: { depth: number; locale: string } | undefined;
  for (const p of mounted.values()) if (!innermost || p.depth >= innermost.depth) innermost = p;
  document.documentElement.lang = innermost?.locale ?? DEFAULT_LANGUAGE;
}

/** `lang`: any BCP 47 tag; the words are its language's catalogue (English when there is none). */
export function LanguageProvider({ lang: tag, children }: { lang: string; children: ComponentChildren }) {
  const depth = useContext(LanguageContext).depth + 1;
  const state = useMemo(() => ({ lang: resolveLanguage(tag), locale: localeOf(tag), depth }), [tag, depth]);
  const [id] = useState(() => Symbol('language'));
  useEffect(() => {
    mounted.set(id, { depth, locale: state.locale });
    applyHtmlLang();
    return () => {
      mounted.delete(id);
      applyHtmlLang();
    };
  }, [id, depth, state.locale]);
  return <LanguageContext.Provider value={state}>{children}</LanguageContext.Provider>;
}

export const useLanguage = (): Language => useContext(LanguageContext).lang;

export function useT(): Translate {
  const { lang } = useContext(LanguageContext);
  return useCallback((key, values) => translate(lang, key, values), [lang]);
}

/** Waits, durations, numbers and statuses in the screen's language. */
export function useFormat(): Formats {
  const { locale } = useContext(LanguageContext);
  return useMemo(() => formatsFor(locale), [locale]);
}

/** Times and dates in the screen's language and the given (the branch's) time zone, never the browser's. */
export function useClock(timeZone: string): Clock {
  const { locale } = useContext(LanguageContext);
  return useMemo(() => clockFor(locale, timeZone), [locale, timeZone]);
}

/** A text whose values are elements: `<Rich k="status.goTo" values={{ counter: <strong>…</strong> }} />`. */
export function Rich({ k, values }: { k: MessageKey; values: Record<string, ComponentChildren> }) {
  const text = translate(useLanguage(), k);
  return (
    <>{text.split(/\{(\w+)\}/).map((part, i) => (i % 2 === 1 ? (values[part] ?? `{${part}}`) : part))}</>
  );
}

/** The languages with a catalogue, each named in itself, as the options of a form's select. */
export const LANGUAGE_OPTIONS = LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }));

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
        {LANGUAGE_OPTIONS.map((o) => (
          <option key={o.value} value={o.value} lang={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Whether `tag`'s language has a catalogue (`es-MX` → yes). */
const hasCatalogue = (tag: string | null | undefined): tag is string =>
  (LANGUAGES as string[]).includes((tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '');

export const STAFF_LANGUAGE_KEY = 'queueline.language';

/** The browser's first language that has a catalogue, else English. */
const browserLanguage = (): string => navigator.languages.find(hasCatalogue) ?? DEFAULT_LANGUAGE;

/** The staff user's language: their choice in this browser, else the browser's. */
function staffLanguage(): string {
  const chosen = localStorage.getItem(STAFF_LANGUAGE_KEY);
  return hasCatalogue(chosen) ? chosen : browserLanguage();
}

/** The staff screens' language (a BCP 47 tag) and its setter, which remembers the choice. */
export function useStaffLanguage(): [string, (lang: Language) => void] {
  const [lang, setLang] = useState(staffLanguage);
  const choose = useCallback((l: Language) => {
    localStorage.setItem(STAFF_LANGUAGE_KEY, l);
    setLang(l);
  }, []);
  return [lang, choose];
}

/** Where a customer's choice of language is kept for the browser tab, under `rememberAs`. */
const customerLanguageKey = (rememberAs: string) => `queueline.language.${rememberAs}`;

/** The `rememberAs` of a ticket's status page: the join page hands its choice on through it. */
export const ticketLanguageSlot = (publicToken: string) => `ticket.${publicToken}`;

/** Keeps a customer's choice of language for the screen remembered as `rememberAs`. */
export const rememberCustomerLanguage = (rememberAs: string, lang: string) =>
  sessionStorage.setItem(customerLanguageKey(rememberAs), lang);

/**
 * A customer screen's language: the branch's (`branchLanguage`, a BCP 47 tag) until the customer
 * picks another, a choice kept for the browser tab under `rememberAs` (e.g. per ticket). While the
 * branch's is not known yet (the page is loading), the browser's.
 */
export function useCustomerLanguage(
  branchLanguage: string | undefined,
  rememberAs?: string,
): [string, (lang: Language) => void] {
  const [chosen, setChosen] = useState(() =>
    rememberAs ? sessionStorage.getItem(customerLanguageKey(rememberAs)) : null,
  );
  const choose = useCallback(
    (l: Language) => {
      if (rememberAs) rememberCustomerLanguage(rememberAs, l);
      setChosen(l);
    },
    [rememberAs],
  );
  const lang = hasCatalogue(chosen) ? chosen : (branchLanguage ?? browserLanguage());
  return [lang, choose];
}
