import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams, MunicipalityCode, optionalText, refineProblem } from '../../platform/validation.js';
import { ENGAGEMENT_KINDS, STAGES } from '../../shared/domain.js';
import { isIsoDate } from '../../shared/dates.js';
import { createEngagement, listEngagements, personStages } from './engagement.service.js';

export const Engagement = z.object({
  id: z.uuid(),
  municipalityCode: z.string(),
  kind: z.enum(ENGAGEMENT_KINDS),
  occurredOn: z.string().describe('yyyy-mm-dd (Asia/Tokyo)'),
  source: z.string().describe('manual, registration, donation_import, event…'),
  amountYen: z.number().int().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
});

export const CreateEngagement = z
  .object({
    municipalityCode: MunicipalityCode,
    kind: z.enum(ENGAGEMENT_KINDS),
    occurredOn: z.string().refine(isIsoDate, refineProblem('invalid_date')).describe('yyyy-mm-dd'),
    amountYen: z.number().int().min(0).max(1_000_000_000).nullable().optional(),
    note: optionalText(2000, { multiline: true }),
  })
  .strict()
  .meta({
    example: { municipalityCode: '062014', kind: 'event', occurredOn: '2024-06-01', note: 'やまがた移住・交流フェア' },
  });

export const StageView = z.object({
  municipalityCode: z.string(),
  stage: z
    .enum(STAGES)
    .describe(
      'interest 関心, exchange 交流, involvement 関与, collaboration 協働, two_region 二地域居住, migrated 移住, settled 定住',
    ),
  since: z.string(),
  history: z.array(z.object({ stage: z.enum(STAGES), effectiveOn: z.string() })),
});

const tags = ['engagement'];
const personalData = { personalData: true } as const;

export async function engagementRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/people/:id/engagements',
    {
      config: personalData,
      schema: {
        tags,
        summary: "A person's engagement records (municipality staff: their municipality's only)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(Engagement) }), 404: ErrorResponse },
      },
    },
    async (request) => ({ items: await listEngagements(db, staffContext(request), request.params.id) }),
  );

  app.post(
    '/people/:id/engagements',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Record an engagement (event attended, visit, volunteering, donation, side job, …)',
        params: IdParams,
        body: CreateEngagement,
        response: { 201: Engagement, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createEngagement(db, staffContext(request), request.params.id, request.body)),
  );

  app.get(
    '/people/:id/stages',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Stage per municipality with its dated history, derived from the records (docs/stages.md)',
        params: IdParams,
        response: { 200: z.object({ items: z.array(StageView) }), 404: ErrorResponse },
      },
    },
    async (request) => ({ items: await personStages(db, staffContext(request), request.params.id) }),
  );
}
