import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Form tokens that an accepted public sign-up has used: a form token serves one sign-up. Keyed by
 * the token's hash (so on Citus distributed by it); a row may go once the token has expired.
 */
export const spentFormTokens = pgTable('spent_form_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  /** When the token would have expired anyway; the hourly sweep deletes the row after that. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
