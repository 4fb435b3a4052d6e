import type { TicketStatus } from '#core/contract/schemas/responses/tickets';
import { type Language, type MessageKey, resolveLanguage, translate } from '#core/i18n/index';

const STATUS_KEYS: Record<TicketStatus, MessageKey> = {
  waiting: 'ticket.status.waiting',
  called: 'ticket.status.called',
  serving: 'ticket.status.serving',
  done: 'ticket.status.done',
  no_show: 'ticket.status.no_show',
  cancelled: 'ticket.status.cancelled',
  expired: 'ticket.status.expired',
};

/** Waits, durations, numbers and ticket statuses as one screen shows them. */
export interface Formats {
  lang: Language;
  /** A customer's expected wait, rounded: "about 5 min" / "unos 5 min". */
  wait: (seconds: number | null | undefined) => string;
  /** A measured duration: "4 min 10 s". */
  duration: (seconds: number | null | undefined) => string;
  number: (n: number) => string;
  /** A share in 0–100: "87 %". */
  percent: (pct: number | null) => string;
  status: (status: TicketStatus) => string;
}

/** Times of day and dates in one time zone, as one screen shows them. */
export interface Clock {
  /** "14:05" (es) or "02:05 PM" (en). */
  time: (at: string | number | Date | null | undefined) => string;
  /** "lunes, 7 de diciembre" (es) or "Monday, December 7" (en). */
  day: (at: string | number | Date) => string;
}

const NONE = '—';

/**
 * The formats of a screen in `tag`, a BCP 47 tag: the words are its language's catalogue, while
 * `Intl` gets the whole tag (see localeOf). Nothing here reads the browser's language.
 */
export function formatsFor(tag: string): Formats {
  const lang = resolveLanguage(tag);
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(lang, key, values);
  const numbers = new Intl.NumberFormat(localeOf(tag), { maximumFractionDigits: 1 });
  const round = (n: number) => numbers.format(Math.round(n));
  return {
    lang,
    wait: (seconds) => {
      if (seconds === null || seconds === undefined) return NONE;
      if (seconds < 60) return t('format.wait.underMinute');
      const minutes = Math.round(seconds / 60);
      if (minutes < 60) return t('format.wait.minutes', { minutes: round(minutes) });
      const [h, m] = [Math.floor(minutes / 60), minutes % 60];
      return m
        ? t('format.wait.hoursMinutes', { hours: round(h), minutes: round(m) })
        : t('format.wait.hours', { hours: round(h) });
    },
    duration: (seconds) => {
      if (seconds === null || seconds === undefined) return NONE;
      if (seconds < 60) return t('format.duration.seconds', { seconds: round(seconds) });
      const [m, s] = [Math.floor(seconds / 60), Math.round(seconds % 60)];
      return s
        ? t('format.duration.minutesSeconds', { minutes: round(m), seconds: round(s) })
        : t('format.duration.minutes', { minutes: round(m) });
    },
    number: (n) => numbers.format(n),
    percent: (pct) => (pct === null ? NONE : t('format.percent', { value: round(pct) })),
    status: (status) => t(STATUS_KEYS[status]),
  };
}

/**
 * Times and dates in `tag`'s language and in `timeZone`, the branch's: a Madrid branch shows
 * Madrid's time on a screen whose own zone is any other. Never the browser's zone.
 */
export function clockFor(tag: string, timeZone: string): Clock {
  const locale = localeOf(tag);
  const zone = validZone(timeZone);
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone });
  const date = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    timeZone: zone,
  });
  return {
    time: (at) => (at === null || at === undefined ? NONE : clock.format(new Date(at))),
    day: (at) => date.format(new Date(at)),
  };
}

/**
 * The locale `Intl` formats `tag` with (and `<html lang>` names): the tag itself when `Intl` knows
 * it and its language has a catalogue, else the catalogue's language (a `fr` branch shows English
 * words, so English dates too).
 */
export function localeOf(tag: string): string {
  const lang = resolveLanguage(tag);
  try {
    const [canonical] = Intl.getCanonicalLocales(tag.trim());
    return canonical?.toLowerCase().split('-')[0] === lang ? canonical : lang;
  } catch {
    return lang;
  }
}

function validZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC'; // branch zones are validated on write; this only guards a stale value
  }
}
