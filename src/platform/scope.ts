/**
 * Access scope, the part every module shares: which municipalities an actor's staff role covers.
 * Each module turns it into the conditions on its own tables — people in people.scope.ts, cases
 * and consultations in consultations.scope.ts, event registrations in events.scope.ts — so the
 * rule "municipality staff see their municipality, prefecture and center see all, partners only
 * what is addressed to them" is decided here once and applied where the tables are.
 * Outside its scope a record answers NOT_FOUND (never FORBIDDEN), so staff cannot learn it exists.
 */
import type { Actor } from './auth/actor.js';
import { AppError } from './errors.js';

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

/** The municipality a municipality staff member works for; null for every other role. */
export const ownMunicipality = (actor: Actor): string | null =>
  actor.role === 'municipality_staff' ? actor.municipalityCode : null;

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
