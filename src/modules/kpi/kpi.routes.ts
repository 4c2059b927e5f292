import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import {
  Actuals,
  ActualsQuery,
  CountedRecords,
  CreatePlan,
  Plan,
  PlansList,
  RecordsParams,
  RecordsQuery,
  UpdatePlan,
} from './kpi.schemas.js';
import { getActuals } from './kpi.service.js';
import { getCountedRecords } from './kpi.records.js';
import { createPlan, listPlans, updatePlan } from './kpi.plans.js';
import { EVALUATION_APPROVERS, EVALUATION_WRITERS, KPI_READERS, PLAN_EDITORS } from './kpi.policy.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { csvContentType } from '../../platform/export/export.csv.js';
import {
  ApproveEvaluation,
  ReopenEvaluation,
  CommentaryParams,
  CreateOpinion,
  Evaluation,
  EvaluationParams,
  EvaluationQuery,
  EvaluationsList,
  PublicKpi,
  PublicKpiQuery,
  PublicReportQuery,
  PutCommentary,
  type REPORT_FORMATS,
  ReportQuery,
} from './kpi.evaluation.schemas.js';
import {
  addOpinion,
  approveEvaluation,
  getEvaluation,
  listEvaluations,
  putCommentary,
  reopenEvaluation,
  reportData,
} from './kpi.evaluation.js';
import { approvedSnapshot, publicKpi, publicOpenData } from './kpi.public.js';
import { renderReportPdf } from './kpi.report-pdf.js';
import { renderReportXlsx } from './kpi.report-xlsx.js';
import type { EvaluationReportData, ReportAudience } from './kpi.report-data.js';
import { Depth, DepthQuery } from './kpi.depth.schemas.js';
import { getDepth } from './kpi.depth.service.js';

const MEDIA = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** The format asked for: `?format=`, else what Accept names, else PDF. */
function reportFormat(format: (typeof REPORT_FORMATS)[number] | undefined, accept: string | undefined) {
  if (format) return format;
  return accept?.includes(MEDIA.xlsx) ? 'xlsx' : 'pdf';
}

async function reportFile(data: EvaluationReportData, format: 'pdf' | 'xlsx', audience: ReportAudience) {
  return format === 'pdf' ? renderReportPdf(data, { audience }) : renderReportXlsx(data, { audience });
}

/** 2025年度_施策評価報告書.pdf, percent-encoded for the header (RFC 6266/5987), with an ASCII fallback. */
function reportDisposition(fiscalYear: number, format: 'pdf' | 'xlsx', state: string) {
  const name = `${fiscalYear}年度_施策評価報告書${state === 'approved' ? '' : '（案）'}.${format}`;
  return `attachment; filename="kpi-report-${fiscalYear}.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const FILE_RESPONSE = {
  description: 'The report file',
  content: {
    [MEDIA.pdf]: { schema: z.string().describe('A4 PDF with embedded Japanese fonts') },
    [MEDIA.xlsx]: { schema: z.string().describe('Workbook, one sheet per section, Japanese headers') },
  },
};

const tags = ['kpi'];

export async function kpiRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  /** Public report files by year, format and approval time (a few years × two formats). */
  const publicFiles = new Map<string, Buffer>();

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

  app.put(
    '/kpi/plans/:id',
    {
      config: { roles: PLAN_EDITORS },
      schema: {
        tags,
        summary: 'Change a plan (prefecture admin): name, period, indicators and targets per fiscal year',
        description:
          'Checked as a new plan is (400 naming the field). Once the evaluation of a fiscal year is approved, the period’s start, the indicators and the targets up to that year are fixed (400 `fixed_by_approved_evaluation` on each such field); later targets stay editable. Audited with every changed target, old → new.',
        params: IdParams,
        body: UpdatePlan,
        response: { 200: Plan, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => updatePlan(db, staffContext(request), request.params.id, request.body),
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

  app.get(
    '/kpi/depth',
    {
      config: { personalData: true, roles: KPI_READERS },
      schema: {
        tags,
        summary:
          'Depth of a fiscal year: stage transitions (from → to), cohort retention, registered beside active people (docs/kpi.md)',
        description:
          'Aggregates computed from the records. Municipality staff always get their own municipality (another `municipality` answers 404); partners 404. `activity[].continuing` equals the continuing_participants indicator.',
        querystring: DepthQuery,
        response: { 200: Depth, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => getDepth(db, staffContext(request), request.query),
  );

  // --- The yearly evaluation ------------------------------------------------------------------

  app.get(
    '/kpi/evaluations',
    {
      config: { roles: EVALUATION_WRITERS },
      schema: {
        tags,
        summary: 'Evaluations recorded (draft or approved), newest fiscal year first',
        response: { 200: EvaluationsList, 403: ErrorResponse },
      },
    },
    () => listEvaluations(db),
  );

  app.get(
    '/kpi/evaluations/:fiscalYear',
    {
      config: { roles: EVALUATION_WRITERS },
      schema: {
        tags,
        summary:
          'The evaluation of a fiscal year: state, commentary per indicator, the committee’s opinions, what stops approval',
        description:
          'A year nobody has written about yet answers as an empty draft. A year outside the plan answers 400 naming `fiscalYear`.',
        params: EvaluationParams,
        querystring: EvaluationQuery,
        response: { 200: Evaluation, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse },
      },
    },
    (request) => getEvaluation(db, staffContext(request), request.params.fiscalYear, request.query.plan),
  );

  app.put(
    '/kpi/evaluations/:fiscalYear/commentary/:code',
    {
      config: { roles: EVALUATION_WRITERS },
      schema: {
        tags,
        summary: 'Write the prefecture’s commentary on one indicator (empty text removes it); audited',
        description: 'Only while the evaluation is a draft: an approved one answers 409 CONFLICT.',
        params: CommentaryParams,
        querystring: EvaluationQuery,
        body: PutCommentary,
        response: { 200: Evaluation, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    (request) =>
      putCommentary(
        db,
        staffContext(request),
        request.params.fiscalYear,
        request.params.code,
        request.query.plan,
        request.body,
      ),
  );

  app.post(
    '/kpi/evaluations/:fiscalYear/opinions',
    {
      config: { roles: EVALUATION_WRITERS },
      schema: {
        tags,
        summary: 'Record an opinion of the external committee (有識者の意見) with its date and author; audited',
        description:
          'Only while the evaluation is a draft (409 CONFLICT once approved). The date may not be in the future nor before the fiscal year.',
        params: EvaluationParams,
        querystring: EvaluationQuery,
        body: CreateOpinion,
        response: { 201: Evaluation, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await addOpinion(db, staffContext(request), request.params.fiscalYear, request.query.plan, request.body)),
  );

  app.post(
    '/kpi/evaluations/:fiscalYear/approve',
    {
      config: { roles: EVALUATION_APPROVERS },
      schema: {
        tags,
        summary:
          'Approve the evaluation (prefecture admin): freezes the figures, records who approved and when; audited',
        description:
          'Refused with 400 naming each field while the fiscal year is not over (`fiscalYear`) or an indicator has no commentary (`commentary.<code>`); 409 when already approved. The approved report is what the public page, the open data and the report files show.',
        params: EvaluationParams,
        querystring: EvaluationQuery,
        body: ApproveEvaluation,
        response: { 200: Evaluation, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    (request) => approveEvaluation(db, staffContext(request), request.params.fiscalYear, request.query.plan),
  );

  app.post(
    '/kpi/evaluations/:fiscalYear/reopen',
    {
      config: { roles: EVALUATION_APPROVERS },
      schema: {
        tags,
        summary:
          'Undo an approval (prefecture admin), with a reason: back to draft, figures unfrozen, unpublished until approved again; audited old → new',
        description:
          '409 unless the evaluation is approved. The public page, the open data and the public report stop showing the year; the staff report shows today’s figures as a draft again.',
        params: EvaluationParams,
        querystring: EvaluationQuery,
        body: ReopenEvaluation,
        response: { 200: Evaluation, 400: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
      },
    },
    (request) =>
      reopenEvaluation(db, staffContext(request), request.params.fiscalYear, request.query.plan, request.body.reason),
  );

  app.get(
    '/kpi/reports/:fiscalYear',
    {
      config: { personalData: true, roles: EVALUATION_WRITERS },
      schema: {
        tags,
        summary:
          'The evaluation report as PDF or .xlsx (`?format=` or Accept): as approved, or the draft with today’s figures; audited',
        description:
          'Figures as they are (no suppression): the staff report. The public one is /api/public/kpi/reports/:fiscalYear.',
        params: EvaluationParams,
        querystring: ReportQuery,
        response: { 200: FILE_RESPONSE, 400: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const ctx = staffContext(request);
      const { fiscalYear } = request.params;
      const format = reportFormat(request.query.format, request.headers.accept);
      const { data, evaluationId } = await reportData(db, fiscalYear, request.query.plan);
      const body = await reportFile(data, format, 'staff');
      await recordAudit(db, ctx, {
        action: 'kpi.report.export',
        entityType: 'kpi_evaluation',
        ...(evaluationId ? { entityId: evaluationId } : {}),
        details: { fiscalYear, format, state: data.status.state },
      });
      // A file, not the JSON the schema types: sent through the untyped reply.
      return (reply as FastifyReply)
        .type(MEDIA[format])
        .header('content-disposition', reportDisposition(fiscalYear, format, data.status.state))
        .send(body);
    },
  );

  // --- Public --------------------------------------------------------------------------------

  app.get(
    '/public/kpi',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'The approved evaluation of a fiscal year for the public page: plan vs actual, per municipality, commentary, opinions',
        description:
          'Approved reports only (404 while none is). No personal data: counts of people below 10, and those that would reveal one, come as `hidden: true` (X).',
        querystring: PublicKpiQuery,
        response: { 200: PublicKpi, 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const view = await publicKpi(db, request.query.fiscalYear, request.query.plan);
      return reply.header('cache-control', 'public, max-age=300').send(view);
    },
  );

  app.get(
    '/public/kpi/opendata.csv',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Open data (オープンデータ): one row per municipality × indicator × approved fiscal year, UTF-8 with BOM, 全国地方公共団体コード first',
        description:
          'Counts of people below 10 and those that would reveal one are `X` (備考: 秘匿). 404 while nothing is approved.',
        response: {
          200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } },
          404: ErrorResponse,
        },
      },
    },
    async (_request, reply) => {
      const { fileName, body } = await publicOpenData(db);
      return (reply as FastifyReply)
        .type(csvContentType('utf8'))
        .header('cache-control', 'public, max-age=300')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .send(body);
    },
  );

  app.get(
    '/public/kpi/reports/:fiscalYear',
    {
      // Rendering a PDF takes a second of CPU: a tighter limit than other public pages.
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'The approved evaluation report for the public (small counts of people shown as X), as PDF or .xlsx',
        params: EvaluationParams,
        querystring: PublicReportQuery,
        response: { 200: FILE_RESPONSE, 400: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse },
      },
    },
    async (request, reply) => {
      const { fiscalYear } = request.params;
      const format = reportFormat(request.query.format, request.headers.accept);
      const { data } = await approvedSnapshot(db, fiscalYear, request.query.plan);
      // An approved report never changes: render it once per format, not on every download.
      const key = `${request.query.plan ?? ''}:${fiscalYear}:${format}:${data.generatedAt}`;
      let body = publicFiles.get(key);
      if (!body) {
        body = await reportFile(data, format, 'public');
        if (publicFiles.size >= 12) publicFiles.delete(publicFiles.keys().next().value!);
        publicFiles.set(key, body);
      }
      return (reply as FastifyReply)
        .type(MEDIA[format])
        .header('content-disposition', reportDisposition(fiscalYear, format, 'approved'))
        .send(body);
    },
  );
}
