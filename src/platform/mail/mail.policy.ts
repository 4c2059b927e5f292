/** Who may look into outgoing mail (platform/policy.ts). */
import { roleList } from '../policy.js';

/** Held and undelivered mail holds every addressee and message: the prefecture's admins only see it. */
export const MAIL_ADMINS = roleList('prefecture_admin');
