import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse } from '../../platform/validation.js';
import {
  Actuals,
  ActualsQuery,
  CountedRecords,
  CreatePlan,
  Plan,
  PlansList,
  RecordsParams,
  RecordsQuery,
} from './kpi.schemas.js';
import { getActuals } from './kpi.service.js';
import { getCountedRecords } from './kpi.records.js';
import { createPlan, listPlans } from './kpi.plans.js';
import { KPI_READERS, PLAN_EDITORS } from './kpi.policy.js';

const tags = ['kpi'];

export async function kpiRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/kpi/plans',
    {
      config: { roles: KPI_READERS },
      schema: {
        tags,
        summary: 'Plans with their indicators, baselines and target increments per fiscal year (docs/kpi.md)',
        response: { 200: PlansList, 403: ErrorResponse },
      },
    },
    async () => ({ items: await listPlans(db) }),
  );

  app.post(
    '/kpi/plans',
    {
      config: { roles: PLAN_EDITORS },
      schema: {
        tags,
        summary:
          'Add a plan (prefecture admin): period, indicators (each computed by a stated rule), targets per fiscal year',
        description:
          'Targets are increments per fiscal year within the period; optional per-municipality targets. Audited. A code already taken, a year outside the period or given twice answers 400 naming the field.',
        body: CreatePlan,
        response: { 201: Plan, 400: ErrorResponse, 403: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createPlan(db, staffContext(request), request.body)),
  );

  app.get(
    '/kpi/actuals',
    {
      // Aggregates only, but computed from personal data: partners get 404 like any outsider.
      config: { personalData: true, roles: KPI_READERS },
      schema: {
        tags,
        summary:
          'The plan’s indicators for a fiscal year: target, actual (computed by the rules of docs/kpi.md), cumulative, per municipality',
        description:
          '`actual: null` where there is no data (④ until readiness records exist). Municipality staff always get their own municipality (another `municipality` answers 404); partners 404.',
        querystring: ActualsQuery,
        response: { 200: Actuals, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => getActuals(db, staffContext(request), request.query),
  );

  app.get(
    '/kpi/actuals/:code/records',
    {
      config: { personalData: true, roles: KPI_READERS },
      schema: {
        tags,
        summary:
          'The records behind a figure (drill-down): moved cases, people, events — exactly those counted; audited',
        description:
          'Within the reader’s scope: municipality staff see their municipality’s records only (another `municipality` answers 404). `sum` over all rows equals the actual.',
        params: RecordsParams,
        querystring: RecordsQuery,
        response: { 200: CountedRecords, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => getCountedRecords(db, staffContext(request), request.params.code, request.query),
  );
}
