/**
 * Access scope: which people a staff member may see. This is the only place that decides it;
 * every query that returns or changes a person is filtered by `personScope`, and every single
 * record is fetched through `assertPersonInScope`, which answers NOT_FOUND (never FORBIDDEN) so
 * that staff cannot learn that a record outside their scope exists.
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from './db/client.js';
import type { Actor } from './auth/actor.js';
import { AppError } from './errors.js';
import { people, personLinks } from '../modules/people/people.tables.js';
import { cases, consultations, followups, referrals } from '../modules/consultations/consultations.tables.js';
import { boothSlots, eventBooths, eventRegistrations, events } from '../modules/events/events.tables.js';

/** True when the actor sees every municipality's people. */
export function seesAllPeople(actor: Actor): boolean {
  return actor.role === 'prefecture_admin' || actor.role === 'center_staff';
}

/** The municipalities whose people the actor may see and link; null means all. */
export function scopedMunicipalities(actor: Actor): string[] | null {
  if (seesAllPeople(actor)) return null;
  if (actor.role === 'municipality_staff' && actor.municipalityCode) return [actor.municipalityCode];
  return [];
}

/**
 * SQL condition on `people` for the rows the actor may see. Municipality staff see a person
 * when any link ties the person to their municipality; partners see nobody here (their access
 * comes through referrals addressed to them).
 */
export function personScope(actor: Actor): SQL {
  const codes = scopedMunicipalities(actor);
  if (codes === null) return sql`true`;
  if (codes.length === 0) return sql`false`;
  return sql`exists (select 1 from ${personLinks} where ${personLinks.personId} = ${people.id} and ${inArray(personLinks.municipalityCode, codes)})`;
}

/** Throws NOT_FOUND unless the person exists, is not deleted (unless allowed) and is in scope. */
export async function assertPersonInScope(
  db: Db,
  actor: Actor,
  personId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<typeof people.$inferSelect> {
  const conditions = [eq(people.id, personId), personScope(actor)];
  if (!options.includeDeleted) conditions.push(sql`${people.deletedAt} is null`);
  const [row] = await db
    .select()
    .from(people)
    .where(and(...conditions))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

/** The municipality a municipality staff member works for; null for every other role. */
const ownMunicipality = (actor: Actor): string | null =>
  actor.role === 'municipality_staff' ? actor.municipalityCode : null;

/**
 * SQL condition on `cases`. Prefecture and center see every case; municipality staff a case about
 * or moved to their municipality, or one whose consultations name it or whose referrals go to
 * it; partners none (they see only referrals addressed to their organization).
 */
export function caseScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  if (!code) return sql`false`;
  return sql`(${cases.municipalityCode} = ${code} or ${cases.movedMunicipalityCode} = ${code}
    or exists (select 1 from ${consultations} sc where sc.case_id = ${cases.id} and sc.municipality_codes @> array[${code}]::varchar[])
    or exists (select 1 from ${referrals} sr where sr.case_id = ${cases.id} and sr.to_municipality_code = ${code}))`;
}

/**
 * SQL condition on `consultations`: municipality staff see one that names their municipality of
 * interest, whose case is about or moved to it, or that (or whose case) was referred to it.
 */
export function consultationScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  if (!code) return sql`false`;
  return sql`(${consultations.municipalityCodes} @> array[${code}]::varchar[]
    or exists (select 1 from ${cases} sk where sk.id = ${consultations.caseId} and (sk.municipality_code = ${code} or sk.moved_municipality_code = ${code}))
    or exists (select 1 from ${referrals} sr where (sr.consultation_id = ${consultations.id} or sr.case_id = ${consultations.caseId}) and sr.to_municipality_code = ${code}))`;
}

/** SQL condition on `referrals`: municipality staff see those to their municipality, partners those to their organization. */
export function referralScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  if (code) return eq(referrals.toMunicipalityCode, code);
  if (actor.role === 'partner' && actor.organizationId) return eq(referrals.toOrganizationId, actor.organizationId);
  return sql`false`;
}

/** SQL condition on `followups`: municipality staff see their municipality's; partners none. */
export function followupScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const code = ownMunicipality(actor);
  return code ? eq(followups.municipalityCode, code) : sql`false`;
}

/**
 * SQL condition on `event_registrations`. Prefecture and center see every registration;
 * municipality staff one that concerns their municipality — the booked slot's booth is theirs
 * (they will meet the person there), the event is hosted by them, or the person is linked to them
 * (as in personScope); partners one that booked a booth of their organization. Merely naming a
 * municipality on the form does not show the registration to it: that is what the consent to share
 * with the chosen municipalities decides, and granting it links the person to them (interest).
 */
export function eventRegistrationScope(actor: Actor): SQL {
  if (seesAllPeople(actor)) return sql`true`;
  const bookedBooth = (condition: SQL) =>
    sql`exists (select 1 from ${boothSlots} bs join ${eventBooths} bb on bb.id = bs.booth_id where bs.id = ${eventRegistrations.slotId} and ${condition})`;
  const code = ownMunicipality(actor);
  if (code) {
    return sql`(${bookedBooth(sql`bb.municipality_code = ${code}`)}
      or exists (select 1 from ${events} he where he.id = ${eventRegistrations.eventId} and he.host_municipality_code = ${code})
      or exists (select 1 from ${personLinks} rl where rl.person_id = ${eventRegistrations.personId} and rl.municipality_code = ${code}))`;
  }
  if (actor.role === 'partner' && actor.organizationId)
    return bookedBooth(sql`bb.organization_id = ${actor.organizationId}`);
  return sql`false`;
}

/**
 * The municipality an aggregate (the needs analysis) is computed for; null = all. Prefecture and
 * center may ask for any municipality or none; municipality staff always get their own — asking
 * for another answers NOT_FOUND, so the parameter can narrow but never widen; partners get
 * NOT_FOUND (they see only their referrals).
 */
export function aggregateMunicipality(actor: Actor, requested: string | undefined): string | null {
  const codes = scopedMunicipalities(actor);
  if (codes === null) return requested ?? null;
  const own = codes[0];
  if (!own || (requested !== undefined && requested !== own)) throw new AppError('NOT_FOUND');
  return own;
}
