/**
 * Who may run the needs analysis (platform/policy.ts). For which municipality it is computed is
 * the scope's question (`aggregateMunicipality` in platform/scope.ts).
 */
import { roleList } from '../../platform/policy.js';

/** Aggregates over consultations: staff who work with them; partners see only their referrals. */
export const NEEDS_ANALYSTS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');
