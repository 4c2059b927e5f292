/** Who may change the places every scope is keyed by (platform/policy.ts). Reading them is open to every signed-in role. */
import { roleList } from '../../platform/policy.js';

/** Partner organizations decide what partners see: the prefecture's admins register them. */
export const ORGANIZATION_ADMINS = roleList('prefecture_admin');
