import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse } from '../../platform/validation.js';
import { CreatePlan, Plan, PlansList } from './kpi.schemas.js';
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
}
