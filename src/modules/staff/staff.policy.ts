/** Who may do what with staff accounts (platform/policy.ts). */
import type { Actor } from '../../platform/auth/actor.js';
import { hasRole, type Policy, roleList } from '../../platform/policy.js';

/** Accounts, roles and the municipality or organization they are bound to: the prefecture's admins. */
export const STAFF_ADMINS = roleList('prefecture_admin');

/** The consultant picker of the consultation forms: staff who record consultations. */
export const CONSULTANT_PICKERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

/** Whether the actor sees every staff account: then also every municipality's consultants. */
export const mayListAllStaff: Policy = (actor: Actor) => hasRole(actor, STAFF_ADMINS);
