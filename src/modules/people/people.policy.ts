/**
 * Who may do what with people (platform/policy.ts). Every staff role may search, read and change
 * people; which people it reaches is the scope's question (people.scope.ts): partners reach none.
 */
import { roleList } from '../../platform/policy.js';

/** The CSV export of a whole search: staff who work with people, never partners. */
export const PEOPLE_EXPORTERS = roleList('prefecture_admin', 'center_staff', 'municipality_staff');
