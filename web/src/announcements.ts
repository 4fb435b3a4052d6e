/**
 * What the board says when it calls a ticket, per language. Pure: no browser API, so it is unit
 * tested on its own (tests/unit/board-announcements.test.ts). Adding a language is one entry in
 * PHRASES.
 */

interface Phrases {
  /** "Ticket A 12, please go to counter 3": `code` is already speakable, `to` from below. */
  call: (code: string, to: string) => string;
  /** Where to go, for a counter named by a number only ("3"): "counter 3". */
  toNumber: (number: string) => string;
  /** Where to go, for a counter with a name ("Counter 3", "Desk B"). */
  toName: (name: string) => string;
}

export const PHRASES: Record<string, Phrases> = {
  en: {
    call: (code, to) => `Ticket ${code}, please go to ${to}`,
    toNumber: (number) => `counter ${number}`,
    toName: (name) => name,
  },
  es: {
    call: (code, to) => `Turno ${code}, por favor, acuda ${to}`,
    toNumber: (number) => `al mostrador ${number}`,
    toName: (name) => `a ${name}`,
  },
};

export const DEFAULT_LANGUAGE = 'en';

/** The phrase table of a BCP 47 tag: the tag itself, else its primary language, else English. */
export function phrasesFor(language: string | undefined): Phrases {
  const tag = (language ?? '').toLowerCase();
  return PHRASES[tag] ?? PHRASES[tag.split('-')[0]!] ?? PHRASES[DEFAULT_LANGUAGE]!;
}

/**
 * A ticket code as a speech engine reads it well: letters one by one, the number without its
 * leading zeros ("G-001" → "G 1", "AB-012" → "A B 12"); a word-like prefix would otherwise be
 * read as a word and "001" as "zero zero one".
 */
export function speakableCode(code: string): string {
  return (code.toUpperCase().match(/[A-Z]|\d+/g) ?? [code])
    .map((part) => (/^\d+$/.test(part) ? String(Number.parseInt(part, 10)) : part))
    .join(' ');
}

/** The sentence said for a call at the counter named `counterName`. */
export function callAnnouncement(code: string, counterName: string, language?: string): string {
  const phrases = phrasesFor(language);
  const name = counterName.trim();
  return phrases.call(
    speakableCode(code),
    /^\d+$/.test(name) ? phrases.toNumber(name) : phrases.toName(name),
  );
}
