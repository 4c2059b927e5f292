import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse } from '../../platform/validation.js';
import { DAY_READERS } from './dashboard.policy.js';
import { DashboardDay } from './dashboard.schemas.js';
import { dashboardDay } from './dashboard.service.js';

export async function dashboardRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/dashboard/day',
    {
      // Names the new sign-ups: personal data, so partners get 404 like any outsider.
      config: { personalData: true, roles: DAY_READERS },
      schema: {
        tags: ['dashboard'],
        summary:
          "Today's work within your scope: consultations, events, overdue follow-ups and next actions, new sign-ups, the fiscal year's moves",
        description:
          'Each figure is counted by the same condition and scope as the list it names, so the two agree. Days are Japan time.',
        response: { 200: DashboardDay, 404: ErrorResponse },
      },
    },
    (request) => dashboardDay(db, staffContext(request)),
  );
}
