import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '#core/i18n/index';
import { callAnnouncement, speakableCode } from '#web/announcements';

describe('what the board says for a call', () => {
  it('speaks a code as letters one by one and the number without leading zeros', () => {
    expect(speakableCode('G-001')).toBe('G 1');
    expect(speakableCode('A-012')).toBe('A 12');
    expect(speakableCode('AB-120')).toBe('A B 120');
    expect(speakableCode('VIP-1000')).toBe('V I P 1000');
    expect(speakableCode('C-000')).toBe('C 0');
  });

  it('keeps every letter and the number of any code the server issues (1–3 letters, a number)', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z]{1,3}$/),
        fc.integer({ min: 0, max: 99_999 }),
        (prefix, number) => {
          const said = speakableCode(`${prefix}-${String(number).padStart(3, '0')}`);
          expect(said).toBe([...prefix, String(number)].join(' '));
        },
      ),
    );
  });

  it('says "Ticket A 12, please go to counter 3" in English, the default', () => {
    expect(callAnnouncement('A-012', '3', undefined)).toBe('Ticket A 12, please go to counter 3');
    expect(callAnnouncement('A-012', '3', 'en')).toBe('Ticket A 12, please go to counter 3');
    // A counter with a name is said by its name, not "counter Counter 3".
    expect(callAnnouncement('G-001', 'Counter 3', 'en-GB')).toBe('Ticket G 1, please go to Counter 3');
    expect(callAnnouncement('G-001', 'Desk B', undefined)).toBe('Ticket G 1, please go to Desk B');
  });

  it('says it in Spanish for a Spanish branch, whatever the region', () => {
    expect(callAnnouncement('A-012', '3', 'es')).toBe('Turno A 12, por favor, acuda al puesto 3');
    expect(callAnnouncement('A-012', 'Ventanilla 2', 'es-MX')).toBe(
      'Turno A 12, por favor, acuda a Ventanilla 2',
    );
    expect(callAnnouncement('A-012', '3', 'ES')).toContain('Turno');
  });

  it('falls back to English for a language without a catalogue', () => {
    expect(callAnnouncement('B-007', '1', 'fr-CA')).toBe('Ticket B 7, please go to counter 1');
    expect(callAnnouncement('B-007', '1', '')).toBe('Ticket B 7, please go to counter 1');
  });

  it('says the code and the counter in every language of the catalogues', () => {
    for (const language of LANGUAGES) {
      const said = callAnnouncement('Q-042', '9', language);
      expect(said, language).toContain('Q 42');
      expect(said, language).toContain('9');
      expect(callAnnouncement('Q-042', 'Room 5', language), language).toContain('Room 5');
    }
  });
});
