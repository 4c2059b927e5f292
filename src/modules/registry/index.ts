/** The registry module's public entry: what other modules and the app may use of it. */
export { personDataRoutes } from './registry.person-routes.js';
export { registryRoutes } from './registry.routes.js';
export { DEFAULT_MIN_FILL_MS, purgeExpiredRegistrations } from './registry.service.js';
export { type WaitingSignup, waitingSignups } from './registry.waiting.js';
