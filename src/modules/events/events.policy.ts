/**
 * Who may do what with events (platform/policy.ts). Which registrations a role reaches is
 * events.scope.ts; seeing events is open to every signed-in role.
 */
import type { Actor } from '../../platform/auth/actor.js';
import { hasRole, type Policy, roleList } from '../../platform/policy.js';
import { seesAllPeople } from '../../platform/scope.js';

/** Staff who create and change events; partners take part through their booths. */
export const EVENT_MANAGERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

/** Staff who cancel a registration for its registrant; partners check people in but cancel nothing. */
export const REGISTRATION_CANCELLERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

export const mayManageEvents: Policy = (actor: Actor) => hasRole(actor, EVENT_MANAGERS);

/**
 * Whether the actor may create or change this event: prefecture and center any, municipality
 * staff only one their municipality hosts.
 */
export const mayManageEvent: Policy<{ hostMunicipalityCode: string | null }> = (actor, event) =>
  mayManageEvents(actor) &&
  (seesAllPeople(actor) ||
    (actor.role === 'municipality_staff' &&
      Boolean(actor.municipalityCode) &&
      event.hostMunicipalityCode === actor.municipalityCode));

export const mayCancelRegistrations: Policy = (actor: Actor) => hasRole(actor, REGISTRATION_CANCELLERS);
