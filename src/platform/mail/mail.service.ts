/**
 * Outgoing mail: every message is written to outbound_mail, then a job sends it over SMTP
 * (nodemailer, pooled connections). Without SMTP_URL, messages are written to the log instead of
 * sent, so an embedded demo works without a mail server (the confirmation link appears in the
 * console).
 *
 * Delivery keeps its own schedule in the row, the same for pg-boss and the in-process queue: an
 * attempt that fails sets `next_attempt_at` (30 s doubling, at most an hour) and queues the next
 * one; after a day of failures the mail is given up (`failed`, shown to admins). A sweep on start
 * and every minute queues every due mail whose job was lost (a crash between the row and its
 * job, a restart of the embedded queue, a retry timer that died with its process). A sent or
 * given-up mail keeps no body: links and ticket codes in it may still work.
 */
import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/client.js';
import { z } from 'zod';
import { defineJob, type JobQueue } from '../jobs.js';
import type { Locale } from '../i18n.js';
import { type TransactionScope, withTransaction } from '../db/unit-of-work.js';
import { outboundMail } from './mail.tables.js';

/** One attempt at one outbound_mail row; the row holds the message, the job only its id. */
export const SendMailJob = defineJob({ name: 'mail.send', payload: z.object({ mailId: z.uuid() }) });

/** What a mail is: admins see it, and it says how the recipient gets it again (docs/architecture.md). */
export const MAIL_KINDS = [
  'registry.confirmation',
  'registry.sign_in',
  'events.ticket',
  'events.registration_cancelled',
  'events.cancelled',
  'matching.scout',
  'consultations.referral',
  'consultations.digest',
  'other',
] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

export type MailMessage = {
  /**
   * Chosen by the caller when the job that decides to send may run again (pg-boss retries): the
   * same id queues no second message. Absent: a fresh id.
   */
  id?: string;
  kind: MailKind;
  to: string;
  /** The subject without the sender's name: the mailer puts 【short name】 (ja) or [short name] (en) before it. */
  subject: string;
  /** The language of the mail (default ja): how the subject's sender name is bracketed. */
  locale?: Locale;
  text: string;
  html?: string;
  /** The person the mail is about; erasing them erases it. */
  personId?: string | null;
  /** The public sign-up a confirmation mail belongs to (no person yet); erased with it. */
  registrationId?: string | null;
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
  headers?: Record<string, string>;
};

export type Mailer = {
  /**
   * Records the message and queues its send job. Given the unit of work that decided to send it,
   * the row is written in that transaction and the job enqueued after its COMMIT (the pg-boss
   * worker runs on its own connection and must find the row); given a database, in a transaction
   * of its own. A lost enqueue is made good by the sweep. Returns the mail's id.
   */
  queue(scope: TransactionScope, message: MailMessage): Promise<string>;
  /** True when mail goes out over SMTP; false when it is only logged. */
  readonly delivers: boolean;
  /** Queues due mail now and every sweep interval; call once the job queue has started. */
  start(): Promise<void>;
  /** Stops the sweep and closes the SMTP connections; call after the job queue has stopped. */
  stop(): Promise<void>;
};

export type MailDeliveryOptions = {
  /** Wait after the first failed attempt; doubles with each further one. Default 30 s. */
  retryFirstDelayMs?: number;
  /** The longest wait between attempts. Default an hour. */
  retryMaxDelayMs?: number;
  /** A mail still not delivered this long after it was queued is given up. Default a day. */
  giveUpAfterMs?: number;
  /** How often due mail without a job is looked for. Default a minute. */
  sweepIntervalMs?: number;
  /** How long an attempt holds its mail before another may try (a process that died while sending). Default 10 minutes. */
  leaseMs?: number;
};

/**
 * Who a mail comes from (the organization's settings, docs/outreach.md): From name and address,
 * Reply-To, the signature under the text and the short name in the subject.
 */
export type SenderIdentity = {
  name: string;
  shortName: string;
  address: string;
  replyTo: string | null;
  signature: string;
};

/** Kankei's own name, for a mailer given no identity (platform tests). */
export const DEFAULT_IDENTITY: SenderIdentity = {
  name: 'Kankei',
  shortName: 'Kankei',
  address: 'no-reply@kankei.example',
  replyTo: null,
  signature: '',
};

/** The subject as sent: the sender's short name first, bracketed as each language does. */
export function brandedSubject(shortName: string, locale: Locale | undefined, subject: string): string {
  return locale === 'en' ? `[${shortName}] ${subject}` : `【${shortName}】${subject}`;
}

/** The text as sent: the signature below a signature separator ("-- "), when there is one. */
export function signedText(text: string, signature: string): string {
  const sig = signature.trim();
  return sig ? `${text.replace(/\s+$/, '')}\n\n-- \n${sig}\n` : text;
}

export type MailerOptions = {
  smtpUrl?: string;
  /**
   * The sender identity in force, read in the transaction that queues each mail (the app gives the
   * organization settings of the outreach module). Absent: DEFAULT_IDENTITY.
   */
  identity?: (db: Db) => Promise<SenderIdentity>;
  jobs: JobQueue;
  db: Db;
  logger?: FastifyBaseLogger;
  delivery?: MailDeliveryOptions;
  /**
   * Told of each mail held for lack of a mail server, body and all: the server prints its links on
   * the console of someone trying Kankei in a terminal (never into the log, which is kept).
   */
  onHeld?: (mail: HeldMailNotice) => void;
};

/** What the console learns of a held mail: enough to follow its links, nothing kept anywhere. */
export type HeldMailNotice = { id: string; kind: string; to: string; subject: string; links: string[] };

/** The links in a mail's text (confirmation, sign-in, ticket), in order, each once. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"'）」』】]+/g) ?? [])];
}

/** SMTP connections kept open and used side by side (a burst of sign-ups does not queue behind one). */
const SMTP_MAX_CONNECTIONS = 5;
/** Mail queued longer than this is shown to admins as waiting too long. */
export const LONG_QUEUED_MS = 10 * 60 * 1000;

const DEFAULT_DELIVERY: Required<MailDeliveryOptions> = {
  retryFirstDelayMs: 30_000,
  retryMaxDelayMs: 60 * 60 * 1000,
  giveUpAfterMs: 24 * 60 * 60 * 1000,
  sweepIntervalMs: 60_000,
  leaseMs: 10 * 60 * 1000,
};

/**
 * The job id of a mail's attempt after `failedAttempts` failures: a name-based UUID, so the sweep
 * and the retry that both queue the same attempt make one job (JobQueue enqueue ids).
 */
export function mailJobId(mailId: string, failedAttempts: number): string {
  const h = createHash('sha256').update(`mail:${mailId}:${failedAttempts}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

const later = (ms: number) => sql`now() + ${ms} * interval '1 millisecond'`;
/** What a mail keeps once it has left or is given up: no body, nothing that could still be used. */
const FORGET_BODY = { textBody: null, htmlBody: null, attachments: null, headers: null } as const;

export function createMailer(options: MailerOptions): Mailer {
  const { db, jobs } = options;
  const delivery = { ...DEFAULT_DELIVERY, ...options.delivery };
  const transport: Transporter | null = options.smtpUrl
    ? nodemailer.createTransport({ url: options.smtpUrl, pool: true, maxConnections: SMTP_MAX_CONNECTIONS })
    : null;
  const waitAfter = (failedAttempts: number) =>
    Math.min(delivery.retryFirstDelayMs * 2 ** (failedAttempts - 1), delivery.retryMaxDelayMs);

  /** One attempt at one mail: claims it (so no other run sends it meanwhile), sends, records the outcome. */
  async function attempt(mailId: string): Promise<void> {
    const [mail] = await db
      .update(outboundMail)
      .set({ attempts: sql`${outboundMail.attempts} + 1`, nextAttemptAt: later(delivery.leaseMs) })
      .where(
        and(
          eq(outboundMail.id, mailId),
          eq(outboundMail.status, 'queued'),
          lte(outboundMail.nextAttemptAt, sql`now()`),
        ),
      )
      .returning();
    // Not there (rolled back, erased), sent, given up, not due yet or being sent by another run.
    if (!mail) return;
    if (!transport) {
      // Without a mail server the mail is held, body and all, for an admin to read (the audit
      // page's held mail, audited): the log only says where, since its link opens the person's data.
      await db.update(outboundMail).set({ status: 'held', lastError: null }).where(eq(outboundMail.id, mailId));
      options.onHeld?.({
        id: mailId,
        kind: mail.kind,
        to: mail.toAddress,
        subject: mail.subject,
        links: linksIn(mail.textBody ?? ''),
      });
      options.logger?.info(
        { mailId, kind: mail.kind },
        `mail ${mailId} held, not sent (SMTP_URL is not set): kept in outbound_mail; an admin reads it on the audit log page under 保留中のメール (GET /api/mail/held/${mailId})`,
      );
      return;
    }
    try {
      await transport.sendMail({
        from: { name: mail.fromName ?? DEFAULT_IDENTITY.name, address: mail.fromAddress ?? DEFAULT_IDENTITY.address },
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.textBody ?? '',
        html: mail.htmlBody ?? undefined,
        headers: mail.headers ?? undefined,
        attachments: (mail.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.content, 'base64'),
        })),
      });
    } catch (err) {
      const lastError = String((err as Error).message).slice(0, 500);
      if (Date.now() - mail.createdAt.getTime() >= delivery.giveUpAfterMs) {
        options.logger?.error({ mailId, kind: mail.kind, attempts: mail.attempts, err }, 'mail given up');
        await db
          .update(outboundMail)
          .set({ status: 'failed', lastError, ...FORGET_BODY })
          .where(eq(outboundMail.id, mailId));
        return;
      }
      const wait = waitAfter(mail.attempts);
      options.logger?.warn(
        { mailId, kind: mail.kind, attempts: mail.attempts, retryInMs: wait, err },
        'mail not sent, will retry',
      );
      await db
        .update(outboundMail)
        .set({ lastError, nextAttemptAt: later(wait) })
        .where(eq(outboundMail.id, mailId));
      await jobs.enqueue(SendMailJob, { mailId }, { id: mailJobId(mailId, mail.attempts), delayMs: wait });
      return;
    }
    await db
      .update(outboundMail)
      .set({ status: 'sent', sentAt: sql`now()`, lastError: null, ...FORGET_BODY })
      .where(eq(outboundMail.id, mailId));
  }

  jobs.define(SendMailJob, (data) => attempt(data.mailId));

  let sweeping: NodeJS.Timeout | undefined;
  const sweep = () =>
    Promise.all([queueDueMail(db, jobs), expireHeldMail(db)])
      .then(([queued]) => queued)
      .catch((err) => {
        options.logger?.warn({ err }, 'queueing due mail failed');
        return 0;
      });

  return {
    delivers: Boolean(options.smtpUrl),
    queue(scope, message) {
      return withTransaction(scope, async (uow) => {
        const who = options.identity ? await options.identity(uow.tx) : DEFAULT_IDENTITY;
        const [row] = await uow.tx
          .insert(outboundMail)
          .values({
            ...(message.id ? { id: message.id } : {}),
            kind: message.kind,
            personId: message.personId ?? null,
            registrationId: message.registrationId ?? null,
            toAddress: message.to,
            fromName: who.name,
            fromAddress: who.address,
            replyTo: who.replyTo,
            subject: brandedSubject(who.shortName, message.locale, message.subject),
            textBody: signedText(message.text, who.signature),
            htmlBody: message.html ?? null,
            attachments: message.attachments ?? null,
            headers: message.headers ?? null,
          })
          .onConflictDoNothing({ target: outboundMail.id })
          .returning({ id: outboundMail.id });
        // No row: an earlier run of the caller's job queued this very message; queueing it again
        // would send it twice. (A row whose job was never enqueued — the process stopped after
        // COMMIT, the queue refused — stays queued and due: the sweep queues it.)
        if (row) uow.enqueue(jobs, SendMailJob, { mailId: row.id }, { id: mailJobId(row.id, 0) });
        return row?.id ?? message.id!;
      });
    },
    async start() {
      await sweep();
      sweeping = setInterval(() => void sweep(), delivery.sweepIntervalMs);
      sweeping.unref();
    },
    async stop() {
      if (sweeping) clearInterval(sweeping);
      sweeping = undefined;
      transport?.close();
    },
  };
}

/**
 * Queues every mail that is due and may have no job: never queued (the process stopped between
 * the row and its job), or its retry was a timer of a process that has stopped. The job ids make
 * this harmless for mail whose job exists. Returns how many were queued.
 */
export async function queueDueMail(db: Db, jobs: JobQueue, limit = 1000): Promise<number> {
  const due = await db
    .select({ id: outboundMail.id, attempts: outboundMail.attempts })
    .from(outboundMail)
    .where(and(eq(outboundMail.status, 'queued'), lte(outboundMail.nextAttemptAt, sql`now()`)))
    .orderBy(asc(outboundMail.nextAttemptAt))
    .limit(limit);
  for (const m of due) await jobs.enqueue(SendMailJob, { mailId: m.id }, { id: mailJobId(m.id, m.attempts) });
  return due.length;
}

/** How long a mail held for lack of a mail server keeps its body (its links expire within a week). */
export const HELD_MAIL_KEPT_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Held mail older than HELD_MAIL_KEPT_MS is given up: its body (links, ticket codes) goes, what
 * stays shows admins that it never left.
 */
export async function expireHeldMail(db: Db): Promise<number> {
  const expired = await db
    .update(outboundMail)
    .set({ status: 'failed', lastError: 'not sent: SMTP_URL is not set', ...FORGET_BODY })
    .where(
      and(
        eq(outboundMail.status, 'held'),
        lte(outboundMail.createdAt, sql`now() - ${HELD_MAIL_KEPT_MS} * interval '1 millisecond'`),
      ),
    )
    .returning({ id: outboundMail.id });
  return expired.length;
}
