import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { ErrorResponse, Pagination, searchText } from '../validation.js';
import { findAuditEvents } from './audit.service.js';
import { AUDIT_READERS } from './audit.policy.js';

export const AuditEvent = z.object({
  id: z.uuid(),
  at: z.string(),
  actor: z.object({ id: z.string(), email: z.string(), name: z.string() }).nullable(),
  via: z.string(),
  action: z.string(),
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  personId: z.string().nullable(),
  municipalityCode: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export async function auditRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/audit',
    {
      config: { roles: AUDIT_READERS },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first (admin; read-only — there is no route that changes it)',
        querystring: z
          .object({
            personId: z.uuid().optional(),
            actorId: z.uuid().optional(),
            action: searchText(64).optional(),
            ...Pagination,
          })
          .strict(),
        response: { 200: z.object({ items: z.array(AuditEvent), total: z.number().int() }), 400: ErrorResponse },
      },
    },
    (request) => findAuditEvents(db, request.query),
  );
}
