/** The analytics module's public entry: what other modules and the app may use of it. */
export { analyticsRoutes } from './analytics.routes.js';
export { CHANNEL_LABELS, STAGE_LABELS, TOPIC_LABELS } from './analytics.labels.js';
