import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams, requiredText } from '../../platform/validation.js';
import { STAFF_ROLES } from '../../shared/domain.js';
import { CreateStaff } from '../../shared/schemas/staff.js';
import { createStaff, listConsultants, listStaff, updateStaff } from './staff.service.js';
import { CONSULTANT_PICKERS, STAFF_ADMINS } from './staff.policy.js';

export const Staff = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(STAFF_ROLES),
  municipalityCode: z.string().nullable(),
  organizationId: z.string().nullable(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

export const Consultant = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(STAFF_ROLES),
  municipalityCode: z.string().nullable(),
});

const adminOnly = { roles: STAFF_ADMINS } as const;

export async function staffRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['staff'];

  app.get(
    '/staff',
    {
      config: adminOnly,
      schema: { tags, summary: 'Staff accounts (admin)', response: { 200: z.object({ items: z.array(Staff) }) } },
    },
    async () => ({ items: await listStaff(db) }),
  );

  app.get(
    '/staff/consultants',
    {
      config: { roles: CONSULTANT_PICKERS },
      schema: {
        tags,
        summary: 'Who can be named as consultant (read-only, no e-mail addresses)',
        description:
          'Active prefecture_admin and center_staff accounts; municipality staff also get the active staff of their own ' +
          'municipality, an admin those of every municipality. Partners get 403.',
        response: { 200: z.object({ items: z.array(Consultant) }) },
      },
    },
    async (request) => ({ items: await listConsultants(db, staffContext(request).actor) }),
  );

  app.post(
    '/staff',
    {
      config: adminOnly,
      schema: {
        tags,
        summary:
          'Create a staff account (admin). municipality_staff need municipalityCode; partner need organizationId.',
        body: CreateStaff,
        response: { 201: Staff, 400: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createStaff(db, staffContext(request), request.body)),
  );

  app.patch(
    '/staff/:id',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Rename, disable or re-enable (also unlocks) a staff account (admin)',
        params: IdParams,
        body: z.object({ name: requiredText(100).optional(), disabled: z.boolean().optional() }).strict(),
        response: { 200: Staff, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => updateStaff(db, staffContext(request), request.params.id, request.body),
  );
}
