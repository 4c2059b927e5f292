import { describe, expect, it } from 'vitest';
import { AppError } from './errors.js';
import { assertAllowed, roleList } from './policy.js';

describe('policy helpers', () => {
  it('refuses with FORBIDDEN, or NOT_FOUND where the request is about a person', () => {
    expect(() => assertAllowed(true)).not.toThrow();
    expect(() => assertAllowed(false)).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => assertAllowed(false, { personalData: true })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => assertAllowed(false)).toThrow(AppError);
  });

  it('freezes a role list so no route or service can widen it', () => {
    const list = roleList('prefecture_admin');
    expect(Object.isFrozen(list)).toBe(true);
    expect(() => (list as unknown as string[]).push('partner')).toThrow(TypeError);
  });
});
