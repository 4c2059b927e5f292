/** Which cases, consultations, referrals and follow-ups a staff member may see (docs/cases.md). */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.js';
import { ownMunicipality, seesAllPeople } from '../../platform/scope.js';
import { cases, consultations, followups, referrals } from './consultations.tables.js';

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
