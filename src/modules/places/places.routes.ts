import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, MunicipalityCode, requiredText } from '../../platform/validation.js';
import { ORGANIZATION_KINDS } from '../../shared/domain.js';
import {
  createOrganization,
  listMunicipalities,
  listOrganizations,
  listRegions,
  yamagataGeoJson,
} from './places.service.js';
import { ORGANIZATION_ADMINS } from './places.policy.js';

export const Municipality = z.object({
  code: z.string().describe('全国地方公共団体コード (6 digits)'),
  name: z.string(),
  kana: z.string(),
  romaji: z.string(),
  type: z.string().describe('city, town or village'),
  region: z.string().describe('村山, 最上, 置賜 or 庄内'),
  regionCode: z.string(),
  lat: z.number(),
  lon: z.number(),
});

export const Organization = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(ORGANIZATION_KINDS),
  municipalityCode: z.string().nullable(),
});

export async function placesRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['places'];

  app.get(
    '/municipalities',
    {
      config: { public: true },
      schema: { tags, summary: 'The municipalities, with region', response: { 200: z.array(Municipality) } },
    },
    () => listMunicipalities(db),
  );

  app.get(
    '/municipalities/geo',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Municipal boundaries as GeoJSON (出典：国土交通省国土数値情報（行政区域データ）を加工して作成)',
      },
    },
    async (_request, reply) =>
      reply.type('application/geo+json').header('cache-control', 'public, max-age=86400').send(yamagataGeoJson()),
  );

  app.get(
    '/regions',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Regions (総合支庁 areas) in official order',
        response: {
          200: z.array(
            z.object({
              code: z.string(),
              prefectureCode: z.string(),
              name: z.string(),
              nameEn: z.string(),
              position: z.number().int(),
            }),
          ),
        },
      },
    },
    () => listRegions(db),
  );

  app.get(
    '/organizations',
    {
      schema: {
        tags,
        summary: 'Partner agencies and other organizations',
        response: { 200: z.object({ items: z.array(Organization) }) },
      },
    },
    async () => ({ items: await listOrganizations(db) }),
  );

  app.post(
    '/organizations',
    {
      config: { roles: ORGANIZATION_ADMINS },
      schema: {
        tags,
        summary: 'Register an organization (admin)',
        body: z
          .object({
            name: requiredText(200),
            kind: z.enum(ORGANIZATION_KINDS),
            municipalityCode: MunicipalityCode.nullable().optional(),
          })
          .strict(),
        response: { 201: Organization, 400: ErrorResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createOrganization(db, staffContext(request), request.body)),
  );
}
