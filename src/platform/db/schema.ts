/** Every table, for Drizzle's typed queries and for drizzle-kit to generate migrations from. */
export * from '../../modules/places/places.tables.js';
export * from '../../modules/people/people.tables.js';
export * from '../auth/auth.tables.js';
export * from '../audit/audit.tables.js';
export * from '../../modules/engagement/engagement.tables.js';
export * from '../../modules/registry/registry.tables.js';
export * from '../../modules/cards/cards.tables.js';
export * from '../../modules/donations/donations.tables.js';
export * from '../mail/mail.tables.js';
export * from '../secrets.tables.js';
export * from '../../modules/events/events.tables.js';
export * from '../../modules/consultations/consultations.tables.js';
export * from '../../modules/analytics/analytics.tables.js';
