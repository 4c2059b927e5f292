import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldProblemMessage, pickLocale } from './i18n.js';

describe('pickLocale', () => {
  it('prefers the highest-quality supported language and defaults to Japanese', () => {
    expect(pickLocale(undefined)).toBe('ja');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale('fr-FR, en;q=0.5, ja;q=0.8')).toBe('ja');
    expect(pickLocale('de')).toBe('ja');
    expect(pickLocale('en;q=0, ja')).toBe('ja');
  });

  it('never throws on arbitrary headers', () => {
    fc.assert(
      fc.property(fc.string(), (h) => {
        expect(['ja', 'en']).toContain(pickLocale(h));
      }),
    );
  });
});

describe('field messages', () => {
  it('name the field in the user’s language', () => {
    expect(fieldProblemMessage('ja', 'postalCode', 'invalid_postal_code')).toContain('郵便番号');
    expect(fieldProblemMessage('en', 'postalCode', 'invalid_postal_code')).toContain('postal code');
    expect(fieldProblemMessage('ja', 'links.2.kind', 'invalid_choice', { options: 'a, b' })).toContain('関係の種類');
  });
});
