/**
 * The public side of projects: the list and a project's page for anyone (no personal data: the
 * organization's name and a count of 興味ある, nobody named), and — for a signed-in supporter — one-tap
 * 興味ある, applying with answers, and withdrawing. The supporter's session belongs to the registry,
 * which registers `matchingSupporterRoutes` with its own `supporterOf` (matching sits below it).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { publicContext, selfContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  Apply,
  MyApplicationResult,
  PublicProject,
  PublicProjectsPage,
  PublicProjectsQuery,
  PublicScout,
  ScoutReply,
  ScoutTokenParams,
} from './matching.schemas.js';
import { publicScout, replyToScout } from './scouts.service.js';
import {
  applyToProject,
  expressInterest,
  getPublicProject,
  listPublicProjects,
  withdrawApplication,
  withdrawInterest,
} from './projects.service.js';

const tags = ['public projects'];

export async function matchingPublicRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/public/projects',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Published projects (filter by municipality, theme, kind, remote); no personal data',
        querystring: PublicProjectsQuery,
        response: { 200: PublicProjectsPage, 400: ErrorResponse },
      },
    },
    (request) => listPublicProjects(db, request.query),
  );
  app.get(
    '/public/projects/:id',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'One published project; no personal data',
        params: IdParams,
        response: { 200: PublicProject, 404: ErrorResponse },
      },
    },
    (request) => getPublicProject(db, request.params.id),
  );
  app.get(
    '/public/scouts/:token',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'A scout by the token of its mailed links: the project, the message and the answer if given',
        params: ScoutTokenParams,
        response: { 200: PublicScout, 404: ErrorResponse },
      },
    },
    (request) => publicScout(db, request.params.token),
  );
  app.post(
    '/public/scouts/:token/reply',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Answer a scout through its mailed link: interested (also a 興味ある on the project) or declined',
        description: 'Once: a second answer is refused with 409 CONFLICT and the first stands.',
        params: ScoutTokenParams,
        body: ScoutReply,
        response: { 200: PublicScout, 400: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    (request) => replyToScout(db, publicContext(request), request.params.token, request.body.answer),
  );
}

export type SupporterRouteOptions = {
  db: Db;
  /** The signed-in supporter (the registry's session); throws UNAUTHENTICATED or CSRF. */
  supporterOf: (request: FastifyRequest) => Promise<{ personId: string }>;
};

export async function matchingSupporterRoutes(appBase: FastifyInstance, { db, supporterOf }: SupporterRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const signedIn = { 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

  app.post(
    '/public/projects/:id/interest',
    {
      config: { public: true },
      schema: {
        tags,
        summary: '興味ある: one tap by a signed-in supporter (idempotent)',
        params: IdParams,
        response: { 201: z.object({ projectId: z.uuid(), createdAt: z.string() }), ...signedIn, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { personId } = await supporterOf(request);
      return reply.status(201).send(await expressInterest(db, selfContext(request), personId, request.params.id));
    },
  );

  app.post(
    '/public/projects/:id/applications',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Apply to a project with answers to its questions (signed-in supporter)',
        description:
          'Screening projects: the application waits for the receiving organization. First-come projects: accepted at once while a seat is free, else 409 PROJECT_FULL and nothing is kept. Applying again returns the application held.',
        params: IdParams,
        body: Apply,
        response: { 201: MyApplicationResult, 400: ErrorResponse, ...signedIn, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { personId } = await supporterOf(request);
      return reply
        .status(201)
        .send(await applyToProject(db, selfContext(request), personId, request.params.id, request.body));
    },
  );

  app.post(
    '/me/applications/:id/withdraw',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary: 'Withdraw an application (an accepted one gives its seat back)',
        params: IdParams,
        response: { 200: MyApplicationResult, ...signedIn, 409: ErrorResponse },
      },
    },
    async (request) => {
      const { personId } = await supporterOf(request);
      return withdrawApplication(db, selfContext(request), personId, request.params.id);
    },
  );

  app.post(
    '/me/interests/:id/withdraw',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary: 'Withdraw a 興味ある (the id is the project’s)',
        params: IdParams,
        response: { 204: z.null(), ...signedIn },
      },
    },
    async (request, reply) => {
      const { personId } = await supporterOf(request);
      await withdrawInterest(db, selfContext(request), personId, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
