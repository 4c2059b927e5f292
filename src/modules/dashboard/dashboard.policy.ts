/** Who sees the day on the dashboard (platform/policy.ts); what it counts is each module's scope. */
import { roleList } from '../../platform/policy.js';

/** Staff who work with people; a partner's start page is their referral inbox. */
export const DAY_READERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');
