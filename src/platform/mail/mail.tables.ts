import { index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/**
 * Every mail Kankei sends, queued here first: the job only carries the id, so a retry sends the
 * same message, and staff can see whether a confirmation went out. Body text is purged with the
 * person (person_id cascade is not used because mail may go to not-yet-confirmed addresses).
 */
export const outboundMail = pgTable(
  'outbound_mail',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    personId: uuid('person_id'),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    attachments: jsonb('attachments').$type<Array<{ filename: string; contentType: string; content: string }>>(),
    headers: jsonb('headers').$type<Record<string, string>>(),
    /** queued | sent | failed */
    status: varchar('status', { length: 16 }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('outbound_mail_status_idx').on(t.status, t.createdAt), index('outbound_mail_person_idx').on(t.personId)],
);
