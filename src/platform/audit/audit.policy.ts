/** Who may read the audit trail (platform/policy.ts). */
import { roleList } from '../policy.js';

/** The audit trail names every person anyone looked at: the prefecture's admins only read it. */
export const AUDIT_READERS = roleList('prefecture_admin');
