/** Who may act on a supporter's rights over their data (platform/policy.ts). */
import { roleList } from '../../platform/policy.js';

/**
 * Erasing a person (a data subject's request, carried out by staff) removes them everywhere and
 * cannot be undone: the prefecture's admins only. The access export is open to staff within scope.
 */
export const PERSON_ERASERS = roleList('prefecture_admin');
