/** Who may act on a supporter's rights over their data (platform/policy.ts). */
import { hasRole, type Policy, roleList } from '../../platform/policy.js';

/**
 * Erasing a person (a data subject's request, carried out by staff) removes them everywhere and
 * cannot be undone: the prefecture's admins only. The access export is open to staff within scope.
 */
export const PERSON_ERASERS = roleList('prefecture_admin');

/** Every staff member who works with supporters may read the registration settings (cap, privacy text). */
export const REGISTRY_SETTINGS_READERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');
/** The registration settings are the prefecture's: its admins change them. */
export const REGISTRY_SETTINGS_EDITORS = roleList('prefecture_admin');

/** Who sees the premium review queue and the evidence (each within their scope). */
export const PREMIUM_QUEUE_READERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');
/** Premium is the municipality's decision: its own staff review the applications to it. */
export const PREMIUM_REVIEWERS = roleList('municipality_staff');

/** Whether the staff member decides on premium registrations with this municipality. */
export const mayReviewPremium: Policy<string> = (actor, municipalityCode) =>
  hasRole(actor, PREMIUM_REVIEWERS) && actor.municipalityCode === municipalityCode;
