/**
 * Outgoing mail: every message is written to outbound_mail, then a job sends it over SMTP
 * (nodemailer). Without SMTP_URL, messages are written to the log instead of sent, so an
 * embedded demo works without a mail server (the confirmation link appears in the console).
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { eq, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import type { JobQueue } from '../jobs.js';
import { outboundMail } from './mail.tables.js';

export const MAIL_JOB = 'mail.send';

export type MailMessage = {
  /**
   * Chosen by the caller when the job that decides to send may run again (pg-boss retries): the
   * same id queues no second message. Absent: a fresh id.
   */
  id?: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  personId?: string | null;
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
  headers?: Record<string, string>;
};

export type Mailer = {
  /**
   * Records the message and queues it. Call after the transaction that decided to send it has
   * committed: the pg-boss worker runs on its own connection and must find the row.
   */
  queue(db: Db, message: MailMessage): Promise<string>;
  /** True when mail goes out over SMTP; false when it is only logged. */
  readonly delivers: boolean;
};

export type MailerOptions = { smtpUrl?: string; from?: string; jobs: JobQueue; db: Db; logger?: FastifyBaseLogger };

export const DEFAULT_FROM = 'Kankei <no-reply@kankei.example>';

export function createMailer(options: MailerOptions): Mailer {
  const transport: Transporter = options.smtpUrl
    ? nodemailer.createTransport(options.smtpUrl)
    : nodemailer.createTransport({ jsonTransport: true });
  const from = options.from ?? DEFAULT_FROM;

  options.jobs.define(MAIL_JOB, async (data) => {
    const id = String(data.mailId);
    const [mail] = await options.db.select().from(outboundMail).where(eq(outboundMail.id, id));
    // Missing: the deciding transaction rolled back; sent: a retry after success.
    if (!mail || mail.status === 'sent') return;
    try {
      await transport.sendMail({
        from,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody,
        html: mail.htmlBody ?? undefined,
        headers: mail.headers ?? undefined,
        attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'base64') })),
      });
      // Address, subject and text stay out of the log: they name the person and carry their links.
      if (!options.smtpUrl) options.logger?.info({ mailId: id }, `mail ${id} produced, not sent (SMTP_URL is not set): it is kept in table outbound_mail`);
      await options.db
        .update(outboundMail)
        .set({ status: 'sent', sentAt: new Date(), attempts: sql`${outboundMail.attempts} + 1`, lastError: null })
        .where(eq(outboundMail.id, id));
    } catch (err) {
      await options.db
        .update(outboundMail)
        .set({ status: 'failed', attempts: sql`${outboundMail.attempts} + 1`, lastError: String((err as Error).message).slice(0, 500) })
        .where(eq(outboundMail.id, id));
      throw err;
    }
  });

  return {
    delivers: Boolean(options.smtpUrl),
    async queue(db, message) {
      const [row] = await db
        .insert(outboundMail)
        .values({
          ...(message.id ? { id: message.id } : {}),
          personId: message.personId ?? null,
          toAddress: message.to,
          subject: message.subject,
          textBody: message.text,
          htmlBody: message.html ?? null,
          attachments: message.attachments ?? null,
          headers: message.headers ?? null,
        })
        .onConflictDoNothing({ target: outboundMail.id })
        .returning({ id: outboundMail.id });
      // No row: an earlier run of the caller's job queued this very message; queueing it again
      // would send it twice. (A run that stopped between the insert and the enqueue leaves the row
      // queued, as any queued mail: see requeueUnsentMail.)
      if (row) await options.jobs.enqueue(MAIL_JOB, { mailId: row.id });
      return row?.id ?? message.id!;
    },
  };
}

/** Re-queues mail left unsent by a stopped embedded process (pg-boss keeps its own jobs). */
export async function requeueUnsentMail(db: Db, jobs: JobQueue): Promise<number> {
  if (jobs.kind !== 'in-process') return 0;
  const pending = await db.select({ id: outboundMail.id }).from(outboundMail).where(inArray(outboundMail.status, ['queued', 'failed']));
  for (const p of pending) await jobs.enqueue(MAIL_JOB, { mailId: p.id });
  return pending.length;
}
