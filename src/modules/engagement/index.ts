/** The engagement module's public entry: what other modules and the app may use of it. */
export { insertEngagementsSql } from './engagement.bulk.js';
export { engagementRoutes } from './engagement.routes.js';
export { recordSourcedEngagements } from './engagement.service.js';
export { engagements } from './engagement.tables.js';
export { deriveStages, type MunicipalityStage, type StageLink, type StageRecord, stageOf } from './stages.js';
