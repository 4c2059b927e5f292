/**
 * Moves an event (with its booths' slots) by whole days so that it falls on another Japanese
 * calendar day, keeping its times of day: check-in is only open on the event's days, so tests
 * that check people in hold the event today (and put it back after), and tests of the
 * after-event path move it into the past.
 */
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../src/platform/db/client.js';
import { todayInTokyo } from '../../src/shared/dates.js';

type Times = { id: string; starts_at: string; ends_at: string };

/**
 * Shifts the event so that its first day (Japan time) is `day` (default: today in Japan); held
 * today, it lasts to the end of the day, so sign-ups stay open whatever hour the tests run.
 * Answers a function that puts the event and its slots back where they were.
 */
export async function moveEventTo(db: Db, eventId: string, day = todayInTokyo()): Promise<() => Promise<void>> {
  const [event] = await queryRows<Times & { first: string }>(
    db,
    sql`select id, starts_at::text, ends_at::text, to_char(starts_at at time zone 'Asia/Tokyo', 'YYYY-MM-DD') as first from events where id = ${eventId}`,
  );
  if (!event) throw new Error(`no event ${eventId}`);
  const slots = await queryRows<Times>(
    db,
    sql`select id, starts_at::text, ends_at::text from booth_slots where booth_id in (select id from event_booths where event_id = ${eventId})`,
  );
  const days = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${event.first}T00:00:00Z`)) / 86_400_000);
  const shift = sql`make_interval(days => ${days}::int)`;
  await db.execute(
    sql`update booth_slots set starts_at = starts_at + ${shift}, ends_at = ends_at + ${shift}
         where booth_id in (select id from event_booths where event_id = ${eventId})`,
  );
  await db.execute(
    sql`update events set starts_at = starts_at + ${shift}, ends_at = ends_at + ${shift} where id = ${eventId}`,
  );
  if (day === todayInTokyo()) {
    await db.execute(
      sql`update events set ends_at = greatest(ends_at, (${day}::date + 1)::timestamp at time zone 'Asia/Tokyo' - interval '1 minute') where id = ${eventId}`,
    );
  }
  return async () => {
    await db.execute(
      sql`update events set starts_at = ${event.starts_at}::timestamptz, ends_at = ${event.ends_at}::timestamptz where id = ${eventId}`,
    );
    for (const s of slots)
      await db.execute(
        sql`update booth_slots set starts_at = ${s.starts_at}::timestamptz, ends_at = ${s.ends_at}::timestamptz where id = ${s.id}`,
      );
  };
}
