/** The days the dashboard counts over, from one instant: Japan's today and its fiscal year. */
import { todayInTokyo } from '../../shared/dates.js';

/** How many days back a confirmed sign-up still counts as new. */
export const NEW_SIGNUP_DAYS = 14;

/** yyyy-mm-dd moved by whole days (calendar arithmetic on the date alone, no time zone). */
export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The Japanese fiscal year (April–March) a day falls in, with its first and last day. */
export function fiscalYearAround(day: string): { year: number; from: string; to: string } {
  const y = Number(day.slice(0, 4));
  const year = Number(day.slice(5, 7)) >= 4 ? y : y - 1;
  return { year, from: `${String(year).padStart(4, '0')}-04-01`, to: `${String(year + 1).padStart(4, '0')}-03-31` };
}

export type DashboardDays = {
  today: string;
  fiscalYear: { year: number; from: string; to: string };
  signupsSince: string;
};

export function dashboardDays(now: Date = new Date()): DashboardDays {
  const today = todayInTokyo(now);
  return { today, fiscalYear: fiscalYearAround(today), signupsSince: addDays(today, -(NEW_SIGNUP_DAYS - 1)) };
}
