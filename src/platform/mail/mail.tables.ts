import { index, integer, jsonb, pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';

/**
 * Every mail Kankei sends, queued here first: the job only carries the id, so a retry sends the
 * same message, and admins can see whether a mail went out. The body (links with live tokens,
 * ticket QR codes) is kept only until the mail is sent or given up; what stays is to whom, what
 * kind, when and how it went. Rows are erased with their person: by `person_id`, and a sign-up
 * confirmation (sent before there is a person) by `registration_id`. No foreign keys: outbound_mail
 * is distributed by its own id (docs/architecture.md).
 */
export const outboundMail = pgTable(
  'outbound_mail',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** What the mail is (registry.confirmation, events.ticket, …): what admins see and what "send again" means. */
    kind: varchar('kind', { length: 48 }).notNull().default('other'),
    personId: uuid('person_id'),
    /** The public sign-up a confirmation mail belongs to (its person comes later, or never). */
    registrationId: uuid('registration_id'),
    toAddress: text('to_address').notNull(),
    /** The sender identity in force when the mail was queued (organization settings); null: Kankei's default. */
    fromName: text('from_name'),
    fromAddress: text('from_address'),
    replyTo: text('reply_to'),
    subject: text('subject').notNull(),
    /** Null once sent or given up (a held mail keeps it). */
    textBody: text('text_body'),
    htmlBody: text('html_body'),
    attachments: jsonb('attachments').$type<Array<{ filename: string; contentType: string; content: string }>>(),
    headers: jsonb('headers').$type<Record<string, string>>(),
    /**
     * queued (waiting, or retrying after a failure) | sent | failed (given up after a day) |
     * held (no SMTP_URL: kept with its body for admins to read, for a week)
     */
    status: varchar('status', { length: 16 }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** When a queued mail is due (again); while an attempt runs, the end of its lease. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    index('outbound_mail_status_idx').on(t.status, t.nextAttemptAt),
    index('outbound_mail_person_idx').on(t.personId),
    index('outbound_mail_registration_idx').on(t.registrationId),
  ],
);
