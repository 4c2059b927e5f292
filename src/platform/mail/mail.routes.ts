/** Admins' view of outgoing mail that does not leave: given up, queued for too long, or held for lack of a mail server. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { staffContext } from '../request-context.js';
import { ErrorResponse, IdParams, Pagination } from '../validation.js';
import { findHeldMail, findUndeliveredMail, getHeldMail } from './mail.admin.js';
import { MAIL_KINDS } from './mail.service.js';
import { MAIL_ADMINS } from './mail.policy.js';

export const UndeliveredMail = z.object({
  id: z.uuid(),
  kind: z.enum(MAIL_KINDS),
  to: z.string().describe('The recipient: admins need it to reach the person another way'),
  subject: z.string(),
  status: z.enum(['queued', 'failed']).describe('queued: still being retried; failed: given up after a day'),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable().describe('When the next attempt is due (null once given up)'),
});

export const HeldMailSummary = z.object({
  id: z.uuid(),
  kind: z.enum(MAIL_KINDS),
  to: z.string(),
  subject: z.string(),
  createdAt: z.string(),
});

export const HeldMail = HeldMailSummary.extend({
  text: z
    .string()
    .describe('The text as the recipient would read it, links included (live: handle as the person’s data)'),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string() })),
});

export async function mailRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/mail/undelivered',
    {
      config: { roles: MAIL_ADMINS },
      schema: {
        tags: ['mail'],
        summary:
          'Mail given up after a day of failed attempts, or queued for more than 10 minutes, newest first (admin; audited: it shows addresses)',
        querystring: z.object({ ...Pagination }).strict(),
        response: { 200: z.object({ items: z.array(UndeliveredMail), total: z.number().int() }), 400: ErrorResponse },
      },
    },
    (request) => findUndeliveredMail(db, staffContext(request), request.query),
  );

  app.get(
    '/mail/held',
    {
      config: { roles: MAIL_ADMINS },
      schema: {
        tags: ['mail'],
        summary: 'Mail held because SMTP_URL is not set (demo, trial), newest first, without bodies (admin; audited)',
        querystring: z.object({ ...Pagination }).strict(),
        response: { 200: z.object({ items: z.array(HeldMailSummary), total: z.number().int() }), 400: ErrorResponse },
      },
    },
    (request) => findHeldMail(db, staffContext(request), request.query),
  );

  app.get(
    '/mail/held/:id',
    {
      config: { roles: MAIL_ADMINS },
      schema: {
        tags: ['mail'],
        summary:
          'One held mail with its text (admin; every read audited with the person it concerns: its links are live)',
        params: IdParams,
        response: { 200: HeldMail, 404: ErrorResponse },
      },
    },
    (request) => getHeldMail(db, staffContext(request), request.params.id),
  );
}
