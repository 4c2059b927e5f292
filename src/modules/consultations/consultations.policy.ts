/**
 * Who may do what with consultations, cases, referrals and follow-ups (platform/policy.ts). Which
 * records a role reaches is consultations.scope.ts: partners only the referrals addressed to them.
 */
import { roleList } from '../../platform/policy.js';

/**
 * Staff who record and work consultations — consultations, case steps, referrals, follow-up
 * outcomes — and the roles a consultant named on a consultation must have. Partners answer the
 * referrals addressed to them and nothing more (404 on the routes above).
 */
export const CONSULTING_ROLES = roleList('prefecture_admin', 'center_staff', 'municipality_staff');

/** When follow-ups fall due is the prefecture's rule: its admins set it. */
export const FOLLOWUP_RULE_ADMINS = roleList('prefecture_admin');
