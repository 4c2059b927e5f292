import { pgTable, text, timestamp, varchar } from 'drizzle-orm/pg-core';

/**
 * Server-side secrets generated on first use (HMAC keys for form tokens, CSRF of supporter
 * sessions, unsubscribe links). Kept in the database so every app process shares them.
 */
export const appSecrets = pgTable('app_secrets', {
  name: varchar('name', { length: 64 }).primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
