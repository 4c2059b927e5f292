/**
 * Consultations and cases: record a consultation in one request, list and read them, and move a
 * case along its pipeline. Routes are thin; the rules live in consultations.service.ts and
 * pipeline.ts. Every route is personal data: outside the caller's scope it answers 404.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  AddCaseStep,
  CaseDetail,
  CasesPage,
  CasesQuery,
  Consultation,
  ConsultationsPage,
  ConsultationsQuery,
  CreateConsultation,
  CreatedConsultation,
  UpdateConsultation,
} from './consultations.schemas.js';
import {
  addCaseStep,
  createConsultation,
  findCases,
  findConsultations,
  getCase,
  getConsultation,
  personCases,
  updateConsultation,
} from './consultations.service.js';
import { CONSULTING_ROLES } from './consultations.policy.js';

const personalData = { personalData: true } as const;
const writer = { personalData: true, roles: CONSULTING_ROLES } as const;
const errors = { 400: ErrorResponse, 404: ErrorResponse };

export async function consultationRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/consultations',
    {
      config: writer,
      schema: {
        tags: ['consultations'],
        summary: 'Record a consultation (existing person or a new one); it joins or opens the person’s case',
        description:
          'Give `personId` or `person`. A new person is created like POST /api/people: a known email or phone answers 409 DUPLICATE_PERSON with details.candidates to pick from (nothing is overwritten). Municipalities of interest become `interest` links. The first consultation opens a case at first_contact; later ones join the open case (first_contact → consulting); after a settled or ended case a new one opens. Municipality staff must name their own municipality.',
        body: CreateConsultation,
        response: { 201: CreatedConsultation, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createConsultation(db, staffContext(request), request.body)),
  );

  app.get(
    '/consultations',
    {
      config: personalData,
      schema: {
        tags: ['consultations'],
        summary: 'Consultations within your scope, newest first (audited)',
        querystring: ConsultationsQuery,
        response: { 200: ConsultationsPage, 400: ErrorResponse },
      },
    },
    (request) => findConsultations(db, staffContext(request), request.query),
  );

  app.get(
    '/consultations/:id',
    {
      config: personalData,
      schema: {
        tags: ['consultations'],
        summary: 'One consultation (the read is audited)',
        params: IdParams,
        response: { 200: Consultation, ...errors },
      },
    },
    (request) => getConsultation(db, staffContext(request), request.params.id),
  );

  app.patch(
    '/consultations/:id',
    {
      config: writer,
      schema: {
        tags: ['consultations'],
        summary: 'Change the notes or the next action (due date, done)',
        params: IdParams,
        body: UpdateConsultation,
        response: { 200: Consultation, ...errors },
      },
    },
    (request) => updateConsultation(db, staffContext(request), request.params.id, request.body),
  );

  app.get(
    '/cases',
    {
      config: personalData,
      schema: {
        tags: ['cases'],
        summary: 'Cases within your scope (filter by step, municipality, consultant; audited)',
        querystring: CasesQuery,
        response: { 200: CasesPage, 400: ErrorResponse },
      },
    },
    (request) => findCases(db, staffContext(request), request.query),
  );

  app.get(
    '/cases/:id',
    {
      config: personalData,
      schema: {
        tags: ['cases'],
        summary: 'A case with its dated steps, consultations, referrals and follow-ups (audited)',
        params: IdParams,
        response: { 200: CaseDetail, ...errors },
      },
    },
    (request) => getCase(db, staffContext(request), request.params.id),
  );

  app.post(
    '/cases/:id/steps',
    {
      config: writer,
      schema: {
        tags: ['cases'],
        summary: 'Move a case to its next step (rules: docs/cases.md)',
        description:
          'Forward only (rungs may be skipped; visited and trial_stay share a rung); nothing after settled or ended; settled only after moved; ended needs endReason and only before moved; dates never before the previous step nor in the future. `moved` needs municipalityCode (the move-in municipality): it adds a moved_in link, an engagement record (stage 移住) and the follow-ups (1, 6, 12 months unless configured).',
        params: IdParams,
        body: AddCaseStep,
        response: { 201: CaseDetail, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await addCaseStep(db, staffContext(request), request.params.id, request.body)),
  );

  app.get(
    '/people/:id/cases',
    {
      config: personalData,
      schema: {
        tags: ['cases'],
        summary:
          "A person's cases with steps, consultations, referrals and follow-ups, newest first (timeline; audited)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(CaseDetail) }), ...errors },
      },
    },
    async (request) => ({ items: await personCases(db, staffContext(request), request.params.id) }),
  );
}
