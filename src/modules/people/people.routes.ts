import type { FastifyInstance } from 'fastify';
import { fileDateInTokyo } from '../../shared/dates.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { csvContentType } from '../../platform/export/export.csv.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import { exportPeopleCsv } from './people.export.js';
import {
  CreatePerson,
  HistoryItem,
  MergePeople,
  PeoplePage,
  PeopleQuery,
  Person,
  UpdatePerson,
} from './people.schemas.js';
import {
  countPeopleByMunicipality,
  createPerson,
  deletePerson,
  findDuplicatesOf,
  findPeople,
  getPerson,
  mergePeople,
  personHistory,
  updatePerson,
} from './people.service.js';
import { PEOPLE_EXPORTERS } from './people.policy.js';

const tags = ['people'];
const personalData = { personalData: true } as const;
const errors = { 400: ErrorResponse, 404: ErrorResponse };

export async function peopleRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/people',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Search people within your scope',
        querystring: PeopleQuery,
        response: { 200: PeoplePage, 400: ErrorResponse },
      },
    },
    (request) => findPeople(db, staffContext(request), request.query),
  );

  app.get(
    '/people/export',
    {
      config: { ...personalData, roles: PEOPLE_EXPORTERS },
      schema: {
        tags,
        summary: 'Export the people matching a search as CSV for Excel (audited)',
        querystring: z
          .object({
            q: PeopleQuery.shape.q,
            municipality: PeopleQuery.shape.municipality,
            kind: PeopleQuery.shape.kind,
            stage: PeopleQuery.shape.stage,
            consent: PeopleQuery.shape.consent,
            encoding: z
              .enum(['utf8', 'sjis'])
              .default('utf8')
              .describe('utf8: UTF-8 with BOM; sjis: CP932 (Shift_JIS) for older Excel'),
          })
          .strict(),
      },
    },
    async (request, reply) => {
      const { encoding, ...filter } = request.query;
      const stream = await exportPeopleCsv(db, staffContext(request), filter, encoding);
      const date = fileDateInTokyo();
      return reply
        .type(csvContentType(encoding))
        .header('content-disposition', `attachment; filename="people-${date}.csv"`)
        .send(stream);
    },
  );

  app.post(
    '/people',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Create a person; 409 DUPLICATE_PERSON when the normalized email or phone is already known',
        body: CreatePerson,
        response: { 201: Person, 400: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createPerson(db, staffContext(request), request.body)),
  );

  app.get(
    '/people/:id',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'One person (the read is audited)',
        params: IdParams,
        response: { 200: Person, ...errors },
      },
    },
    (request) => getPerson(db, staffContext(request), request.params.id),
  );

  app.patch(
    '/people/:id',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Change a person',
        params: IdParams,
        body: UpdatePerson,
        response: { 200: Person, ...errors, 409: ErrorResponse },
      },
    },
    (request) => updatePerson(db, staffContext(request), request.params.id, request.body),
  );

  app.delete(
    '/people/:id',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Delete a person (soft; purge erases)',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deletePerson(db, staffContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/people/:id/merge',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Merge another record into this person',
        params: IdParams,
        body: MergePeople,
        response: { 200: Person, ...errors },
      },
    },
    (request) => mergePeople(db, staffContext(request), request.params.id, request.body.sourceId),
  );

  app.get(
    '/people/:id/duplicates',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Visible people with the same email or phone',
        params: IdParams,
        response: { 200: z.object({ items: z.array(Person) }), ...errors },
      },
    },
    async (request) => ({ items: await findDuplicatesOf(db, staffContext(request), request.params.id) }),
  );

  app.get(
    '/people/:id/history',
    {
      config: personalData,
      schema: {
        tags,
        summary: "The person's history (audit trail)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(HistoryItem) }), ...errors },
      },
    },
    async (request) => ({ items: await personHistory(db, staffContext(request), request.params.id) }),
  );

  app.get(
    '/stats/people-by-municipality',
    {
      schema: {
        tags: ['stats'],
        summary: "Number of linked people per municipality, within the caller's scope",
        response: { 200: z.array(z.object({ municipalityCode: z.string(), count: z.number().int() })) },
      },
    },
    (request) => countPeopleByMunicipality(db, staffContext(request)),
  );
}
