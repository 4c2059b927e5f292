import { describe, expect, it } from 'vitest';
import { ACCOUNT_RULE, IP_RULE, MAX_WAIT_SECONDS, waitSecondsAfter } from './login-throttle.js';

describe('waits after failed sign-ins', () => {
  it('lets the free attempts through without a wait, then doubles the wait from 2 s', () => {
    expect([1, 2, 3, 4].map((n) => waitSecondsAfter(n, ACCOUNT_RULE))).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8, 9].map((n) => waitSecondsAfter(n, ACCOUNT_RULE))).toEqual([2, 4, 8, 16, 32]);
  });

  it('never makes anyone wait longer than 15 minutes, however many failures', () => {
    expect(MAX_WAIT_SECONDS).toBe(900);
    expect(waitSecondsAfter(14, ACCOUNT_RULE)).toBe(900);
    expect(waitSecondsAfter(1_000_000, ACCOUNT_RULE)).toBe(900);
    for (let n = 1; n < 60; n++)
      expect(waitSecondsAfter(n + 1, ACCOUNT_RULE)).toBeGreaterThanOrEqual(waitSecondsAfter(n, ACCOUNT_RULE));
  });

  it('gives an IP (an office shares one) more free attempts than an account', () => {
    expect(waitSecondsAfter(29, IP_RULE)).toBe(0);
    expect(waitSecondsAfter(30, IP_RULE)).toBe(2);
  });
});
