/**
 * The outreach module's public entry (docs/outreach.md): the organization's sender identity, the
 * one-click unsubscribe, segments of people and notifications.
 */
export { outreachRoutes } from './outreach.routes.js';
export { DEFAULT_ORGANIZATION, seedOrganizationSettings, senderIdentity } from './outreach.settings.js';
export { type UnsubscribePurpose, unsubscribeParts } from './outreach.unsubscribe.js';
export { notifyReferral } from './outreach.notifications.js';
