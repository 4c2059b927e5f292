import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FIELD_PROBLEM_CODES,
  FIELD_PROBLEM_PARAMS,
  type FieldProblem,
  MESSAGE_KEYS,
  toFieldProblem,
} from '../shared/codes.js';
import { AppError, fieldError } from './errors.js';
import {
  errorMessage,
  FIELD_PROBLEM_MESSAGES,
  fieldProblemMessage,
  labelledProblemMessage,
  pickLocale,
} from './i18n.js';

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

describe('message catalogue', () => {
  const locales = ['ja', 'en'] as const;

  /** The parameters a message reads, recorded by handing it a proxy that answers every name. */
  function paramsRead(word: (params: Record<string, string>) => string): string[] {
    const read = new Set<string>();
    const params = new Proxy({} as Record<string, string>, {
      get: (_target, name) => {
        if (typeof name === 'string') read.add(name);
        return '1';
      },
    });
    word(params);
    read.delete('f');
    return [...read].sort();
  }

  it('has a Japanese and an English text for every message key', () => {
    for (const key of MESSAGE_KEYS) {
      for (const locale of locales) expect(errorMessage(locale, key).trim(), `${locale} ${key}`).not.toBe('');
    }
  });

  it('has a Japanese and an English text for every field problem, reading exactly its declared parameters', () => {
    for (const code of FIELD_PROBLEM_CODES) {
      const declared = [...FIELD_PROBLEM_PARAMS[code]].sort();
      for (const locale of locales) {
        const given = Object.fromEntries(declared.map((p) => [p, '1']));
        const text = labelledProblemMessage(locale, 'X', { problem: code, params: given } as FieldProblem);
        expect(text.trim(), `${locale} ${code}`).not.toBe('');
        const message = FIELD_PROBLEM_MESSAGES[locale][code] as (params: Record<string, string>) => string;
        expect(paramsRead(message), `${locale} ${code}`).toEqual(declared);
      }
    }
  });

  it('keeps every message variant tied to the code it is answered with', () => {
    expect(() => new AppError('NOT_FOUND', { messageKey: 'LINK_INVALID' })).not.toThrow();
    // @ts-expect-error LINK_INVALID words NOT_FOUND only, never another code.
    expect(new AppError('CONFLICT', { messageKey: 'LINK_INVALID' }).status).toBe(409);
    // @ts-expect-error a problem code outside the catalogue is refused by the type-check.
    expect(() => fieldError('email', 'not_a_problem')).not.toThrow();
    // @ts-expect-error too_long's message reads max, so it must be given.
    expect(() => fieldError('name', 'too_long')).not.toThrow();
  });

  it('words data that names no catalogued problem as the generic one, explicitly', () => {
    expect(toFieldProblem('too_long', { max: 5 })).toEqual({ problem: 'too_long', params: { max: 5 } });
    expect(toFieldProblem('too_long', {})).toBeNull();
    expect(toFieldProblem('no_such_problem')).toBeNull();
    expect(toFieldProblem(undefined)).toBeNull();
  });
});
