/**
 * Certification rules such as 山形 心のふるさと県民: donations to the prefecture's municipalities
 * in N consecutive years. Years are calendar years by default (ふるさと納税 deductions are counted
 * per calendar year) or fiscal years (April–March) when a prefecture's rule says so.
 * Pure functions; the SQL in donations.certify.ts computes the same thing set-based, and an
 * integration test checks the two agree.
 */

export type YearBasis = 'calendar' | 'fiscal';
export type CertificationRule = { consecutiveYears: number; yearBasis: YearBasis };

/** The year a donation on `date` (yyyy-mm-dd) counts for: 2025-03-31 is fiscal 2024. */
export function donationYear(date: string, basis: YearBasis): number {
  const year = Number(date.slice(0, 4));
  if (basis === 'calendar') return year;
  return Number(date.slice(5, 7)) >= 4 ? year : year - 1;
}

/** The earliest year that completes a run of `n` consecutive years with donations; null when none does. */
export function qualifyingYear(years: readonly number[], n: number): number | null {
  const sorted = [...new Set(years)].sort((a, b) => a - b);
  if (n <= 1) return sorted[0] ?? null;
  let run = 0;
  let previous = Number.NaN;
  for (const y of sorted) {
    run = y === previous + 1 ? run + 1 : 1;
    previous = y;
    if (run >= n) return y;
  }
  return null;
}

/** Whether donations in these years meet the rule (order and repetition do not matter). */
export function isCertified(years: readonly number[], rule: CertificationRule): boolean {
  return qualifyingYear(years, rule.consecutiveYears) !== null;
}

/**
 * The day the person became certified: their first donation in the year that completed the
 * first qualifying run (donations 2022, 2023, 2024-06-01 and 2024-09-01 → since 2024-06-01).
 * Null when not certified. Adding a donation never removes a certification nor moves `since` later.
 */
export function certifiedSince(dates: readonly string[], rule: CertificationRule): string | null {
  const year = qualifyingYear(
    dates.map((d) => donationYear(d, rule.yearBasis)),
    rule.consecutiveYears,
  );
  if (year === null) return null;
  let since: string | null = null;
  for (const d of dates) if (donationYear(d, rule.yearBasis) === year && (since === null || d < since)) since = d;
  return since;
}
