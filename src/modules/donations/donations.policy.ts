/** Who may import donor files (platform/policy.ts). Certifications are readable by every role, within scope. */
import { roleList } from '../../platform/policy.js';

/** Donor imports create and link people: staff who work with people, never partners. */
export const DONOR_IMPORTERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');
