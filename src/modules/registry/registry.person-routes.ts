/**
 * Staff's data-subject routes about one person — the access export and the erasure — under
 * /api/people/:id like the rest of the person's page. They compose the modules that hold personal
 * data, so they are registered from the registry module, which sits above them.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import { MyConsultationData } from '../consultations/index.js';
import { MyEventData } from '../events/index.js';
import { HistoryItem, Person } from '../people/index.js';
import { exportPerson } from './registry.access.js';
import { purgePerson } from './registry.erasure.js';
import { PERSON_ERASERS } from './registry.policy.js';

const tags = ['people'];
const personalData = { personalData: true } as const;
const errors = { 400: ErrorResponse, 404: ErrorResponse };

export async function personDataRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/people/:id/export',
    {
      config: personalData,
      schema: {
        tags,
        summary:
          'Everything held about one person as JSON (data-subject access request; audited): record, history, consultations, cases with steps, referrals and event registrations within the reader’s scope',
        params: IdParams,
        response: {
          200: z.object({
            exportedAt: z.string(),
            person: Person,
            history: z.array(HistoryItem),
            ...MyConsultationData.shape,
            ...MyEventData.shape,
          }),
          ...errors,
        },
      },
    },
    (request) => exportPerson(db, staffContext(request), request.params.id),
  );

  app.post(
    '/people/:id/purge',
    {
      config: { ...personalData, roles: PERSON_ERASERS },
      schema: {
        tags,
        summary: 'Erase a person and the records merged into them (data-subject deletion, admin)',
        params: IdParams,
        response: { 200: z.object({ purged: z.number().int() }), ...errors },
      },
    },
    (request) => purgePerson(db, staffContext(request), request.params.id),
  );
}
