/** Who may do what with staff sign-in (platform/policy.ts): every signed-in role uses its own session. */
import { roleList } from '../policy.js';

/** API tokens act without a session, for integrations: only the prefecture's admins issue, list and revoke them. */
export const TOKEN_ADMINS = roleList('prefecture_admin');
