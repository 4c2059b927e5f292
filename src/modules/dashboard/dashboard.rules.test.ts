import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, dashboardDays, fiscalYearAround } from './dashboard.rules.js';

const day = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('dashboard days', () => {
  it('puts every day inside its fiscal year, which runs April 1 to March 31', () => {
    fc.assert(
      fc.property(day, (d) => {
        const fy = fiscalYearAround(d);
        expect(fy.from <= d && d <= fy.to).toBe(true);
        expect(fy.from).toBe(`${fy.year}-04-01`);
        expect(fy.to).toBe(`${fy.year + 1}-03-31`);
        expect(addDays(fy.to, 1)).toBe(`${fy.year + 1}-04-01`);
      }),
    );
  });

  it('moves days by whole calendar days and back', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -400, max: 400 }), (d, n) => {
        expect(addDays(addDays(d, n), -n)).toBe(d);
      }),
    );
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it("counts in Japan's day: 15:30 UTC on March 31 is already April 1 in Japan, a new fiscal year", () => {
    const days = dashboardDays(new Date('2026-03-31T15:30:00Z'));
    expect(days.today).toBe('2026-04-01');
    expect(days.fiscalYear).toEqual({ year: 2026, from: '2026-04-01', to: '2027-03-31' });
    expect(dashboardDays(new Date('2026-03-31T14:30:00Z')).fiscalYear.year).toBe(2025);
    expect(days.signupsSince).toBe('2026-03-19');
  });
});
