import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { csvContentType } from '../../platform/export/export.csv.js';
import { ErrorResponse } from '../../platform/validation.js';
import { exportFileName, MEDIA_TYPES, negotiateFormat, toCsv, toXlsx } from './analytics.export.js';
import { AnalyticsQuery, ConsultationAnalytics } from './analytics.schemas.js';
import { getConsultationAnalytics } from './analytics.service.js';
import { pruneChanges } from './analytics.cache.js';
import { NEEDS_ANALYSTS } from './analytics.policy.js';

const tags = ['analytics'];

export async function analyticsRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  // The change log grows with every write; prune it hourly even when nobody reads the analysis.
  let pruning: NodeJS.Timeout | undefined;
  appBase.addHook('onReady', async () => {
    pruning = setInterval(
      () => void pruneChanges(db).catch((err) => appBase.log.warn({ err }, 'pruning the analytics change log failed')),
      60 * 60 * 1000,
    ).unref();
  });
  appBase.addHook('onClose', async () => {
    if (pruning) clearInterval(pruning);
  });

  app.get(
    '/analytics/consultations',
    {
      // Aggregates only, but computed from personal data: partners get 404 like any outsider.
      config: { personalData: true, roles: NEEDS_ANALYSTS },
      schema: {
        tags,
        summary:
          'Needs analysis of consultations for a fiscal year (JSON, or .xlsx / .csv by Accept or ?format=; exports audited)',
        description:
          'Where consulting people live, topics per month, channels that lead to moves, days from first contact to move, ' +
          'conversion per stage and per-municipality counts. Municipality staff always get their own municipality ' +
          '(another `municipality` answers 404); partners 404. `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` ' +
          'or `text/csv` (or `?format=xlsx|csv`) returns a file named like consultations-FY2026.xlsx. Answers are kept and ' +
          'served again while nothing they count has changed (exact to the transaction); the `x-analytics-cache` header says hit or miss.',
        querystring: AnalyticsQuery,
        response: {
          200: {
            description: 'The analysis',
            content: {
              'application/json': { schema: ConsultationAnalytics },
              [MEDIA_TYPES.xlsx]: { schema: z.string().describe('Workbook, one sheet per table, Japanese headers') },
              'text/csv': {
                schema: z.string().describe('UTF-8 with BOM; one table (table=) or the long table 表, 行, 列, 値'),
              },
            },
          },
          400: ErrorResponse,
          404: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      const ctx = staffContext(request);
      const { fy, municipality, table } = request.query;
      const format = request.query.format ?? negotiateFormat(request.headers.accept);
      const { view, cached } = await getConsultationAnalytics(db, ctx, { fy, municipality });
      reply.header('x-analytics-cache', cached ? 'hit' : 'miss');
      if (format === 'json') return reply.type(MEDIA_TYPES.json).send(view);
      const body = format === 'xlsx' ? await toXlsx(view) : toCsv(view, table);
      await recordAudit(db, ctx, {
        action: 'analytics.export',
        entityType: 'analytics',
        municipalityCode: view.municipality?.code,
        details: {
          report: 'consultations',
          format,
          fiscalYear: view.fiscalYear,
          municipality: view.municipality?.code ?? null,
          table: table ?? null,
        },
      });
      const fileName = exportFileName(view, format, table);
      // A file, not the JSON schema's shape: Fastify sends a Buffer as is, without serializing.
      return (reply as FastifyReply)
        .type(format === 'csv' ? csvContentType('utf8') : MEDIA_TYPES.xlsx)
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(body);
    },
  );
}
