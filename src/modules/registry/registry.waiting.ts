/**
 * New sign-ups waiting for a first contact: people who confirmed a public sign-up (ふるさと住民票)
 * in the last days and have had no consultation recorded in those days — the ones a staffer should
 * greet. Scoped like every people list (personScope).
 */
import { and, desc, isNull, not, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Actor } from '../../platform/auth/actor.js';
import { consultationSince } from '../consultations/index.js';
import { people, personScope } from '../people/index.js';
import { registrations } from './registry.tables.js';

export type WaitingSignup = { personId: string; name: string; isDemo: boolean; confirmedAt: string };

/** Sign-ups confirmed on or after `since` (a Japan day) and not consulted since; the newest `limit` and the total. */
export async function waitingSignups(
  db: Db,
  actor: Actor,
  since: string,
  limit: number,
): Promise<{ total: number; items: WaitingSignup[] }> {
  const confirmedAt = sql<Date>`(select max(r.confirmed_at) from ${registrations} r where r.person_id = ${people.id} and r.status = 'confirmed')`;
  const where = and(
    isNull(people.deletedAt),
    personScope(actor),
    sql`${confirmedAt} >= (${since}::date::timestamp at time zone 'Asia/Tokyo')`,
    not(consultationSince(people.id, since)),
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({ personId: people.id, name: people.name, isDemo: people.isDemo, confirmedAt })
      .from(people)
      .where(where)
      .orderBy(desc(confirmedAt), desc(people.id))
      .limit(limit),
    db.select({ n: sql<number>`count(*)::int` }).from(people).where(where),
  ]);
  return {
    total: Number(total?.n ?? 0),
    items: rows.map((r) => ({
      personId: r.personId,
      name: r.name,
      isDemo: r.isDemo === 1,
      confirmedAt: new Date(r.confirmedAt).toISOString(),
    })),
  };
}
