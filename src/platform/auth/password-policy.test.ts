import { dictionary } from '@zxcvbn-ts/language-common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeForCheck, weakPassword } from './password-policy.js';

const listed = dictionary['passwords-common'];
/** ASCII as a Japanese keyboard's full-width mode types it (！ to ～). */
const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('new staff passwords (NIST SP 800-63B blocklist, no composition rules)', () => {
  it('refuses listed passwords whatever their width, case or spacing', () => {
    expect(weakPassword('qwerty123456')).toBe('common_password');
    expect(weakPassword('QWERTY123456')).toBe('common_password');
    expect(weakPassword(fullWidth('qwerty123456'))).toBe('common_password');
    expect(weakPassword('qwerty 123456')).toBe('common_password');
  });

  it('refuses a listed word dressed with digits and symbols, but not a phrase that contains one', () => {
    expect(weakPassword('password1234')).toBe('common_password');
    expect(weakPassword('!!baseball2025')).toBe('common_password');
    expect(weakPassword('ｄｒａｇｏｎ２０２６！')).toBe('common_password');
    expect(weakPassword('dragon-fly-over-gassan')).toBeNull();
    expect(weakPassword('correct horse battery staple')).toBeNull();
  });

  it('refuses repetitions and sequences', () => {
    const repetitive = [
      'aaaaaaaaaaaa',
      'abcdefghijkl',
      'zyxwvutsrqpo',
      'abcabcabcabc',
      '1212121212121',
      'ああああああああああああ',
    ];
    for (const p of repetitive) expect(weakPassword(p), p).toBe('repetitive_password');
    // A sequence that is also on the list is refused as listed.
    expect(weakPassword('1234567890')).toBe('common_password');
  });

  it('accepts Japanese phrases and the passwords the tests and demo use', () => {
    for (const p of [
      '月山の雪解け水で淹れた珈琲',
      'a-new-password-123',
      'test-staff-password-1',
      'partner-password-2025',
    ])
      expect(weakPassword(p), p).toBeNull();
  });

  it('property: every listed password is refused, also full-width and upper-case', () => {
    fc.assert(
      fc.property(fc.constantFrom(...listed), fc.boolean(), fc.boolean(), (p, wide, upper) => {
        const typed = (wide ? fullWidth : (s: string) => s)(upper ? p.toUpperCase() : p);
        expect(weakPassword(typed)).not.toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('property: a short unit repeated to any length is refused', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 4 }), fc.integer({ min: 3, max: 12 }), (unit, times) => {
        fc.pre(normalizeForCheck(unit).length > 0);
        expect(weakPassword(unit.repeat(times))).not.toBeNull();
      }),
    );
  });

  it('property: a random 16-character secret (what a password manager makes) is accepted', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 63 }), { minLength: 16, maxLength: 24 }), (codes) => {
        const secret = codes.map((c) => alphabet[c]).join('');
        fc.pre(new Set(secret).size >= 6);
        expect(weakPassword(secret)).toBeNull();
      }),
    );
  });
});
