import { resolveLanguage, translate } from '#core/i18n/index';

/**
 * What the board says when it calls a ticket, in the branch's language: the `board.speech.*`
 * texts of its catalogue (core/i18n), so a new language brings its spoken call with it. Pure: no
 * browser API, so it is unit tested on its own (tests/unit/board-announcements.test.ts).
 */

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

/**
 * The sentence said for a call at the counter named `counterName`, in `language` (BCP 47): "Ticket
 * A 12, please go to counter 3" for a counter named by a number only, "… please go to Desk B"
 * for one with a name.
 */
export function callAnnouncement(code: string, counterName: string, language: string | undefined): string {
  const lang = resolveLanguage(language);
  const name = counterName.trim();
  const to = /^\d+$/.test(name)
    ? translate(lang, 'board.speech.toNumber', { number: name })
    : translate(lang, 'board.speech.toName', { name });
  return translate(lang, 'board.speech.call', { code: speakableCode(code), to });
}
