/**
 * The people module's public entry: what other modules and the app may use of it. Its other files
 * are private to it (dependency rule `modules-through-entry`, .dependency-cruiser.cjs).
 */
export {
  BULK_PEOPLE_COLUMNS,
  BULK_PEOPLE_KEY_COLUMNS,
  BULK_PEOPLE_SEARCH_COLUMNS,
  type BulkPerson,
  bulkPersonKeys,
  bulkPersonSearchValues,
  bulkPersonValues,
  type BulkSql,
  CLEAR_PEOPLE_SQL,
  CREATE_PEOPLE_SQL,
  createPeopleStaging,
  MATCH_PEOPLE_SQL,
} from './people.bulk.js';
export { type ConsentChoices, consentRows, Consents } from './people.consents.js';
export { highestStageCondition, peopleFilterConditions } from './people.filters.js';
export {
  INTAKE_FILLABLE,
  type IntakeField,
  normalizeIntake,
  type PersonIntakeInput,
  type PersonIntakeResult,
  resolveOrCreatePerson,
} from './people.intake.js';
export { peopleRoutes } from './people.routes.js';
export { CreatePerson, HistoryItem, Person } from './people.schemas.js';
export { personTextMatches } from './people.search.js';
export { assertPersonInScope, personScope } from './people.scope.js';
export { addPersonLinks, createPerson, derivedColumns, getPersonRecord, personHistory } from './people.service.js';
export {
  consents,
  IDENTITY_ASSURANCES,
  type IdentityAssurance,
  people,
  personLinks,
  SUPPORTER_TIERS,
  supporterProfiles,
  supporterRegistrations,
  type SupporterTier,
} from './people.tables.js';
