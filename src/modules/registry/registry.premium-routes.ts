/**
 * Premium registrations over HTTP: the supporter's application with evidence files and answer
 * (multipart, on /me's session), the municipality's review queue, the evidence files (audited
 * reads) and the decision on a registration (`/api/registrations/:id/premium`).
 */
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { selfContext, staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import { PREMIUM_QUEUE_READERS, PREMIUM_REVIEWERS } from './registry.policy.js';
import {
  answerPremiumRequest,
  EVIDENCE_MAX_BYTES,
  type EvidenceUpload,
  myPremiumApplications,
  premiumQueue,
  readEvidenceFile,
  reviewPremium,
  submitPremiumApplication,
} from './registry.premium.js';
import {
  PremiumAnswerForm,
  PremiumApplication,
  PremiumApplicationForm,
  PremiumQueueItem,
  PremiumQueueQuery,
  ReviewPremium,
} from './registry.schemas.js';
import type { Supporter } from './registry.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Evidence files read from this request's multipart body. */
    evidenceUploads: EvidenceUpload[] | null;
  }
}

export type PremiumRouteOptions = {
  db: Db;
  supporterOf: (request: FastifyRequest) => Promise<Supporter>;
  /** After an approval: reissue the person's card (it names the tier). */
  onApproved: (db: Db, personId: string) => Promise<void>;
};

/**
 * Reads a multipart body: text fields into `request.body` (for the schema), files into
 * `request.evidenceUploads`, each kept in memory up to the size limit and marked when cut there
 * (answered as a field problem naming the file, not a bare 413). Not multipart → 415.
 */
async function readEvidenceForm(request: FastifyRequest) {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', { messageKey: 'MULTIPART_REQUIRED' });
  const body: Record<string, unknown> = {};
  const files: EvidenceUpload[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) chunks.push(chunk as Buffer);
        files.push({ fileName: part.filename ?? '', content: Buffer.concat(chunks), truncated: part.file.truncated });
      } else {
        const value = typeof part.value === 'string' ? part.value : String(part.value);
        body[part.fieldname] = part.fieldname in body ? [body[part.fieldname], value].flat() : value;
      }
    }
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    if (err instanceof AppError || (status && status >= 400 && status < 500)) throw err;
    throw new AppError('BAD_REQUEST', { messageKey: 'MULTIPART_MALFORMED' });
  }
  request.body = body;
  request.evidenceUploads = files;
}

export async function premiumRoutes(appBase: FastifyInstance, options: PremiumRouteOptions) {
  const { db, supporterOf } = options;
  const selfTags = ['supporter self-service'];

  // The uploads, in a context of their own: the multipart parser reaches only these two routes.
  await appBase.register(async (uploads) => {
    await uploads.register(fastifyMultipart, {
      limits: { fileSize: EVIDENCE_MAX_BYTES, files: 10, fields: 10, fieldSize: 16 * 1024, parts: 20 },
      throwFileSizeLimit: false,
    });
    uploads.decorateRequest('evidenceUploads', null);
    const app = uploads.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/me/premium-applications',
      {
        config: { public: true },
        preValidation: readEvidenceForm,
        schema: {
          tags: selfTags,
          summary: 'Apply for the premium tier of one registration, with evidence files (multipart)',
          description:
            'Fields: municipalityCode, activity, activityDescription; files: evidenceFiles (1–5; JPEG, PNG, WebP or PDF by content; 5 MB each). ' +
            'A file over the size or of another type is refused naming it (evidenceFiles.<n>).',
          consumes: ['multipart/form-data'],
          body: PremiumApplicationForm,
          response: {
            201: z.object({ items: z.array(PremiumApplication) }),
            400: ErrorResponse,
            401: ErrorResponse,
            413: ErrorResponse,
            415: ErrorResponse,
          },
        },
      },
      async (request, reply) => {
        const supporter = await supporterOf(request);
        await submitPremiumApplication(db, selfContext(request), supporter, {
          municipalityCode: request.body.municipalityCode,
          activity: request.body.activity,
          activityDescription: request.body.activityDescription,
          files: request.evidenceUploads ?? [],
        });
        return reply.status(201).send({ items: await myPremiumApplications(db, supporter.personId) });
      },
    );

    app.post(
      '/me/premium-applications/:id/answer',
      {
        config: { public: true },
        preValidation: readEvidenceForm,
        schema: {
          tags: selfTags,
          summary: 'Answer the municipality asking for more: a message and more files (multipart)',
          consumes: ['multipart/form-data'],
          params: IdParams,
          body: PremiumAnswerForm,
          response: {
            200: z.object({ items: z.array(PremiumApplication) }),
            400: ErrorResponse,
            401: ErrorResponse,
            404: ErrorResponse,
            413: ErrorResponse,
            415: ErrorResponse,
          },
        },
      },
      async (request) => {
        const supporter = await supporterOf(request);
        await answerPremiumRequest(db, selfContext(request), supporter, request.params.id, {
          replyMessage: request.body.replyMessage,
          files: request.evidenceUploads ?? [],
        });
        return { items: await myPremiumApplications(db, supporter.personId) };
      },
    );
  });

  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/me/premium-applications',
    {
      config: { public: true },
      schema: {
        tags: selfTags,
        summary: "The supporter's premium applications with their dated steps, newest first",
        response: { 200: z.object({ items: z.array(PremiumApplication) }), 401: ErrorResponse },
      },
    },
    async (request) => ({ items: await myPremiumApplications(db, (await supporterOf(request)).personId) }),
  );

  app.get(
    '/premium-applications',
    {
      config: { personalData: true, roles: PREMIUM_QUEUE_READERS },
      schema: {
        tags: ['premium review'],
        summary: "Premium applications to the caller's municipalities, waiting ones first (audited)",
        querystring: PremiumQueueQuery,
        response: { 200: z.object({ items: z.array(PremiumQueueItem) }) },
      },
    },
    async (request) => ({ items: await premiumQueue(db, staffContext(request), request.query) }),
  );

  app.get(
    '/premium-applications/:id/files/:fileId',
    {
      config: { personalData: true, roles: PREMIUM_QUEUE_READERS },
      schema: {
        tags: ['premium review'],
        summary: 'One evidence file of an application, for review (each read audited)',
        params: z.object({ id: z.uuid(), fileId: z.uuid() }).strict(),
        response: {
          200: {
            description: 'The file as submitted (its type checked by content)',
            content: Object.fromEntries(
              ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'].map((type) => [
                type,
                { schema: z.string().describe('The evidence file') },
              ]),
            ),
          },
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const file = await readEvidenceFile(db, staffContext(request), request.params.id, request.params.fileId);
      // A file, not the JSON the schema types: sent through the untyped reply.
      return (reply as FastifyReply)
        .type(file.mediaType)
        .header('content-disposition', `inline; filename="evidence-${file.id}"`)
        .header('cache-control', 'no-store')
        .send(file.content);
    },
  );

  app.post(
    '/registrations/:id/premium',
    {
      config: { personalData: true, roles: PREMIUM_REVIEWERS },
      schema: {
        tags: ['premium review'],
        summary:
          "Decide on the open premium application of a registration (the municipality's own staff): approve, ask for more, or refuse with a reason",
        description:
          'Approval makes the registration premium, writes the activity as an engagement record (the stage moves) and reissues the card naming the tier.',
        params: IdParams,
        body: ReviewPremium,
        response: {
          200: z.object({ status: z.enum(['approved', 'more_requested', 'refused']) }),
          400: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request) => {
      const result = await reviewPremium(db, staffContext(request), request.params.id, request.body);
      if (result.approved) await options.onApproved(db, result.personId);
      const status = { approve: 'approved', ask_more: 'more_requested', refuse: 'refused' } as const;
      return { status: status[request.body.decision] };
    },
  );
}
