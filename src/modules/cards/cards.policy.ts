/**
 * Who may do what with supporter cards (platform/policy.ts). Issuing and revoking a person's card
 * is open to every staff role within its scope; verifying a card is public.
 */
import { roleList } from '../../platform/policy.js';

/** A new signing key changes what every verifier trusts: the prefecture's admins only. */
export const SIGNING_KEY_ADMINS = roleList('prefecture_admin');
