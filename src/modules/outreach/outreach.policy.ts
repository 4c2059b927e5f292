/** Who may do what in outreach (platform/policy.ts); which people a segment reaches is the scope's question. */
import { roleList } from '../../platform/policy.js';

/** Changing who every mail comes from: the prefecture's admins. */
export const SETTINGS_ADMINS = roleList('prefecture_admin');

/** Segments of people: staff who work with people (partners see only their referrals). */
export const SEGMENT_USERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');
