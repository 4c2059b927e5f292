/** Calendar dates as Kankei's users live them: in Asia/Tokyo, as ISO yyyy-mm-dd strings. */

const TOKYO = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in Japan (yyyy-mm-dd), whatever the server's time zone. */
export function todayInTokyo(now: Date = new Date()): string {
  return TOKYO.format(now);
}

/** True for a real calendar date written as yyyy-mm-dd (2024-02-30 is not). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
