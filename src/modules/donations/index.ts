/** The donations module's public entry: what other modules and the app may use of it. */
export { donationRoutes } from './donations.routes.js';
export { certificationRules, certifications } from './donations.tables.js';
