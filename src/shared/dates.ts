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

const TOKYO_DATE_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as Japanese offices write it in a sheet: 2026/12/02 08:28 (Japan time). */
export function formatTokyoDateTime(instant: Date | string): string {
  const parts = Object.fromEntries(
    TOKYO_DATE_TIME.formatToParts(typeof instant === 'string' ? new Date(instant) : instant).map((p) => [
      p.type,
      p.value,
    ]),
  );
  return `${parts.year}/${parts.month}/${parts.day} ${parts.hour}:${parts.minute}`;
}

/** A calendar date (yyyy-mm-dd) as a sheet shows it: 2026/12/02. */
export function formatSheetDate(day: string): string {
  return day.replaceAll('-', '/');
}

const TOKYO_TIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The moment in Japan for file names: 20261202-153000. */
export function fileTimeInTokyo(now: Date = new Date()): string {
  return `${fileDateInTokyo(now)}-${TOKYO_TIME.format(now).replaceAll(':', '')}`;
}

/** Today's date in Japan for file names: 20261202. */
export function fileDateInTokyo(now: Date = new Date()): string {
  return todayInTokyo(now).replaceAll('-', '');
}
