/** Who may see and retry background jobs (platform/policy.ts). */
import { roleList } from './policy.js';

/** Failed jobs and their retry are operations work: the prefecture's admins only. */
export const JOB_ADMINS = roleList('prefecture_admin');
