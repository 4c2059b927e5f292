/**
 * Donor imports (ふるさと納税 寄附者一覧) and certifications: start an import or a dry run, read an
 * import's report, list imports, list certified people — each scoped like the rest of Kankei.
 * Municipality staff import only for their own municipality and see only its imports; person ids
 * in a report are shown only for people the reader may see.
 */
import { and, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { queryRows, type Db } from '../../platform/db/client.js';
import { AppError, fieldError } from '../../platform/errors.js';
import { fieldLabel, labelledProblemMessage, type Locale } from '../../platform/i18n.js';
import { scopedMunicipalities, seesAllPeople } from '../../platform/scope.js';
import { personScope } from '../people/index.js';
import { toFieldProblem } from '../../shared/codes.js';
import { municipalities } from '../../platform/places.tables.js';
import { engagements } from '../engagement/index.js';
import { people } from '../people/index.js';
import { recomputeCertifications } from './donations.certify.js';
import { importDonorFile, previewDonorFile, type StoredProblem } from './donations.import.js';
import type { FileEncoding } from './donations.encoding.js';
import type { SpooledUpload } from './donations.schemas.js';
import { importEngagementIdSql } from './donations.ids.js';
import { withBulkSession } from './donations.session.js';
import { certificationRules, certifications, donationImportRows, donationImports } from './donations.tables.js';

export type StartImportInput = {
  file: SpooledUpload;
  municipalityCode: string;
  mapping?: Record<string, string | null>;
  dryRun?: boolean;
};

// --- presenters --------------------------------------------------------------------------------

function presentProblem(p: StoredProblem, locale: Locale) {
  const label = p.field ? (locale === 'ja' ? `「${p.field}」` : `"${p.field}"`) : fieldLabel(locale, p.key);
  return {
    column: p.field,
    field: p.key,
    problem: p.problem,
    // Stored reports outlive releases: a code no longer catalogued is worded as the generic problem.
    message: labelledProblemMessage(locale, label, toFieldProblem(p.problem, p.params) ?? { problem: 'invalid' }),
    ...(p.value !== undefined ? { value: p.value } : {}),
  };
}

type ImportRecord = typeof donationImports.$inferSelect;

export function presentImport(row: ImportRecord) {
  return {
    id: row.id,
    status: row.status,
    municipalityCode: row.municipalityCode,
    fileName: row.fileName,
    encoding: row.encoding,
    mapping: row.mapping as Record<string, string | null>,
    totals: {
      rows: row.totalRows,
      imported: row.importedRows,
      duplicates: row.duplicateRows,
      refused: row.refusedRows,
      newPeople: row.newPeople,
    },
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}

// --- import ------------------------------------------------------------------------------------

/** Checks the receiving municipality: known, and the caller's own when they are municipality staff. */
async function checkMunicipality(db: Db, ctx: StaffContext, code: string) {
  const scope = scopedMunicipalities(ctx.actor);
  const [known] = await db
    .select({ code: municipalities.code })
    .from(municipalities)
    .where(eq(municipalities.code, code));
  if (!known) throw fieldError('municipalityCode', 'unknown_municipality', { value: code });
  if (scope && !scope.includes(code)) throw fieldError('municipalityCode', 'outside_scope');
}

const safeFileName = (name: string) =>
  (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001F\u007F]/g, '').slice(0, 200) || 'upload.csv';

/**
 * Runs a dry run (preview, status 200) or an import (status 201, with the first page of its row
 * report). The file has been spooled and its encoding decided; a file in no encoding we read is
 * refused here, naming the line where it stopped making sense.
 */
export async function startDonationImport(db: Db, ctx: StaffContext, input: StartImportInput, locale: Locale) {
  await checkMunicipality(db, ctx, input.municipalityCode);
  const { verdict } = input.file;
  if (!verdict.ok)
    throw new AppError('VALIDATION', { fields: { file: { problem: verdict.problem, params: verdict.params } } });
  const file = {
    path: input.file.path,
    fileName: safeFileName(input.file.fileName),
    sha256: input.file.sha256,
    encoding: verdict.encoding as FileEncoding,
  };
  const options = { municipalityCode: input.municipalityCode, mapping: input.mapping };
  if (input.dryRun) {
    const preview = await previewDonorFile(file, options);
    return {
      status: 200 as const,
      body: {
        dryRun: true as const,
        fileName: file.fileName,
        encoding: preview.encoding,
        headers: preview.headers,
        mapping: preview.mapping,
        missing: preview.missing,
        rows: preview.rows.map((r) => ({ ...r, problems: r.problems.map((p) => presentProblem(p, locale)) })),
      },
    };
  }
  const result = await importDonorFile(db, ctx, file, { ...options, linkOnlyVisible: !seesAllPeople(ctx.actor) });
  return { status: 201 as const, body: await getDonationImport(db, ctx, result.id, { limit: 50, offset: 0 }, locale) };
}

// --- reading imports ---------------------------------------------------------------------------

function importScope(ctx: StaffContext): SQL | undefined {
  const codes = scopedMunicipalities(ctx.actor);
  return codes === null ? undefined : inArray(donationImports.municipalityCode, codes.length ? codes : ['']);
}

export type ReportQuery = { outcome?: 'imported' | 'duplicate' | 'refused'; limit: number; offset: number };

/** An import with one page of its row report; NOT_FOUND outside the caller's municipalities. */
export async function getDonationImport(db: Db, ctx: StaffContext, id: string, query: ReportQuery, locale: Locale) {
  const [record] = await db
    .select()
    .from(donationImports)
    .where(and(eq(donationImports.id, id), importScope(ctx)));
  if (!record) throw new AppError('NOT_FOUND');
  const outcome = query.outcome ? sql`and r.outcome = ${query.outcome}` : sql``;
  // Lines of the report stand for runs of rows (see donationImportRows). The page is cut from the
  // lines that overlap it (found by the running count of rows before each line, so a page deep in
  // a large report costs no more than the first), expanded row by row. The person and donation
  // record of an imported row in a run are those of the record with the id the import gave that
  // row. A person (id and name) is shown only when the reader may see that person, and the record
  // with it: the report names donors, since ids alone cannot tell two of them apart.
  const rows = await queryRows<{
    row_number: number;
    outcome: string;
    problems: StoredProblem[] | null;
    person_id: string | null;
    person_name: string | null;
    engagement_id: string | null;
  }>(
    db,
    sql`with lines as (
          select r.import_id, r.row_number, r.row_count, r.outcome, r.problems, r.person_id, r.engagement_id,
                 sum(r.row_count) over (order by r.row_number) - r.row_count as before
            from ${donationImportRows} r
           where r.import_id = ${id} ${outcome}),
        page as (
          select (l.row_number + i)::int as row_number, l.outcome, l.problems, l.person_id,
                 coalesce(l.engagement_id, case when l.outcome = 'imported' then ${sql.raw(importEngagementIdSql('l.import_id', 'l.row_number + i'))} end) as engagement_id
            from lines l
            cross join lateral generate_series(greatest(0, ${query.offset}::bigint - l.before), least(l.row_count, ${query.offset + query.limit}::bigint - l.before) - 1) i
           where l.before < ${query.offset + query.limit}::bigint and l.before + l.row_count > ${query.offset}::bigint)
        select x.row_number, x.outcome, x.problems, v.person_id, v.person_name, case when v.person_id is not null then x.engagement_id end as engagement_id
          from page x
          left join lateral (
            select e.person_id from ${engagements} e where x.person_id is null and e.id = x.engagement_id
          ) e on true
          left join lateral (
            select ${people.id} as person_id, ${people.name} as person_name from ${people}
             where ${people.id} = coalesce(x.person_id, e.person_id) and ${people.deletedAt} is null and ${personScope(ctx.actor)}
          ) v on true
         order by x.row_number`,
  );
  const [total] = await queryRows<{ n: number }>(
    db,
    sql`select coalesce(sum(r.row_count), 0)::int as n from ${donationImportRows} r where r.import_id = ${id} ${outcome}`,
  );
  // The page names donors: a read of personal data, audited with the ids shown (never the names).
  const shownPeople = [...new Set(rows.flatMap((r) => (r.person_id ? [r.person_id] : [])))];
  if (shownPeople.length) {
    await recordAudit(db, ctx, {
      action: 'donation_import.report.read',
      entityType: 'donation_import',
      entityId: id,
      details: { offset: query.offset, rows: rows.length, people: shownPeople.length, personIds: shownPeople },
    });
  }
  return {
    ...presentImport(record),
    rows: rows.map((r) => ({
      rowNumber: r.row_number,
      outcome: r.outcome as 'imported' | 'duplicate' | 'refused',
      personId: r.person_id,
      personName: r.person_name,
      engagementId: r.engagement_id,
      problems: (r.problems ?? []).map((p) => presentProblem(p, locale)),
    })),
    rowsTotal: total?.n ?? 0,
  };
}

export async function listDonationImports(
  db: Db,
  ctx: StaffContext,
  query: { municipality?: string; limit: number; offset: number },
) {
  const where = and(
    importScope(ctx),
    query.municipality ? eq(donationImports.municipalityCode, query.municipality) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(donationImports)
      .where(where)
      .orderBy(desc(donationImports.createdAt), desc(donationImports.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(donationImports).where(where),
  ]);
  return { items: rows.map(presentImport), total: total?.n ?? 0 };
}

// --- certifications ----------------------------------------------------------------------------

/** Certified people the caller may see, most recent first. The listing is audited (counts only). */
export async function listCertifications(
  db: Db,
  ctx: StaffContext,
  query: { kind?: string; limit: number; offset: number },
) {
  const where = and(
    sql`${people.deletedAt} is null`,
    personScope(ctx.actor),
    query.kind ? eq(certifications.kind, query.kind) : undefined,
  );
  const base = db
    .select({
      personId: certifications.personId,
      name: people.name,
      kind: certifications.kind,
      label: certificationRules.label,
      prefectureCode: certifications.prefectureCode,
      since: certifications.since,
    })
    .from(certifications)
    .innerJoin(people, eq(people.id, certifications.personId))
    .leftJoin(
      certificationRules,
      and(
        eq(certificationRules.prefectureCode, certifications.prefectureCode),
        eq(certificationRules.kind, certifications.kind),
      ),
    );
  const [rows, [total]] = await Promise.all([
    base
      .where(where)
      .orderBy(desc(certifications.since), certifications.personId)
      .limit(query.limit)
      .offset(query.offset),
    db
      .select({ n: count() })
      .from(certifications)
      .innerJoin(people, eq(people.id, certifications.personId))
      .where(where),
  ]);
  await recordAudit(db, ctx, {
    action: 'certifications.list',
    entityType: 'certification',
    details: { kind: query.kind ?? null, results: rows.length, total: total?.n ?? 0 },
  });
  return { items: rows.map((r) => ({ ...r, label: r.label ?? r.kind })), total: total?.n ?? 0 };
}

/**
 * Recomputes the certifications of these people from their donation records (for modules that
 * record donations one by one). Imports recompute their own donors.
 */
export async function recomputeCertificationsFor(db: Db, personIds: string[], prefectureCode: string) {
  if (!personIds.length) return {};
  return withBulkSession(db, (s) =>
    recomputeCertifications(s, prefectureCode, { query: 'select unnest($4::uuid[]) as person_id', personIds }),
  );
}
