/**
 * Segments (docs/outreach.md): filters over people — ties and link kinds, stage, roots, skills,
 * ways of involvement, consents, certification, last engagement, an event attended — counted live,
 * listed a page at a time, saved and reused. The people list's own conditions are reused through
 * the people module's entry (scope, stage, consent); the rest are conditions on the person's rows.
 * Every list is within the reader's scope (municipality staff: their municipality's people) and
 * audited with the ids it showed.
 */
import { and, asc, desc, eq, isNull, or, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { type Db, queryRows, textArray } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { AppError } from '../../platform/errors.js';
import type { StaffContext } from '../../platform/request-context.js';
import { ownMunicipality, scopedMunicipalities } from '../../platform/scope.js';
import { searchKey } from '../../shared/normalize.js';
import { highestStageCondition, peopleFilterConditions, people, personScope } from '../people/index.js';
import type { SegmentFiltersInput, SegmentInput } from './outreach.schemas.js';
import { tenantPrefecture } from './outreach.settings.js';
import { segments } from './outreach.tables.js';

/** The link keys (people.link_keys) a person must hold one of, for the tie filters. */
function linkKeys(f: SegmentFiltersInput): string[] {
  const codes = f.municipalities ?? [];
  const kinds = f.linkKinds ?? [];
  if (codes.length && kinds.length) return codes.flatMap((c) => kinds.map((k) => `${c}:${k}`));
  if (codes.length) return codes;
  return kinds.map((k) => `:${k}`);
}

/** The segment's conditions on `people`, the caller's scope first. */
export function segmentConditions(ctx: StaffContext, f: SegmentFiltersInput): SQL[] {
  const conditions: SQL[] = [personScope(ctx.actor), isNull(people.deletedAt), isNull(people.mergedInto)];
  const keys = linkKeys(f);
  if (keys.length) conditions.push(sql`${people.linkKeys} && ${textArray(keys)}`);
  const one = f.municipalities?.length === 1 ? f.municipalities[0] : undefined;
  if (f.stage) {
    if (f.stageOf === 'highest') conditions.push(highestStageCondition(f.stage));
    else conditions.push(...peopleFilterConditions({ stage: f.stage, municipality: one }));
  }
  for (const consent of f.consents ?? []) conditions.push(...peopleFilterConditions({ consent, municipality: one }));
  const profile: SQL[] = [];
  if (f.roots?.length) profile.push(sql`sp.roots && ${textArray(f.roots)}`);
  if (f.involvement?.length) profile.push(sql`sp.involvement && ${textArray(f.involvement)}`);
  if (f.skills?.length) profile.push(sql`sp.skill_keys && ${textArray(f.skills.map(searchKey))}`);
  if (profile.length)
    conditions.push(
      sql`exists (select 1 from supporter_profiles sp where sp.person_id = ${people.id} and ${and(...profile)})`,
    );
  if (f.certified !== undefined) {
    const certified = sql`exists (select 1 from certifications c where c.person_id = ${people.id})`;
    conditions.push(f.certified ? certified : sql`not ${certified}`);
  }
  if (f.engagedFrom || f.engagedTo) {
    const last = sql`(select max(e.occurred_on) from engagements e where e.person_id = ${people.id})`;
    if (f.engagedFrom) conditions.push(sql`${last} >= ${f.engagedFrom}::date`);
    if (f.engagedTo) conditions.push(sql`${last} <= ${f.engagedTo}::date`);
  }
  if (f.attendedEventId)
    conditions.push(
      sql`exists (select 1 from event_registrations r where r.person_id = ${people.id} and r.event_id = ${f.attendedEventId} and r.checked_in_at is not null)`,
    );
  return conditions;
}

type Page = {
  total: number;
  items: Array<{ id: string; name: string; kana: string | null; municipalities: string[] }>;
};

/** The count and one page (by name) of the people the filters select, audited with the ids shown. */
async function peoplePage(
  db: Db,
  ctx: StaffContext,
  f: SegmentFiltersInput,
  page: { limit: number; offset: number },
  audit: { action: string; segmentId?: string },
): Promise<Page> {
  const where = and(...segmentConditions(ctx, f));
  const [counted] = await db.select({ n: sql<number>`count(*)::int` }).from(people).where(where);
  const rows = await db
    .select({ id: people.id, name: people.name, kana: people.kana })
    .from(people)
    .where(where)
    .orderBy(asc(people.sortKey), asc(people.id))
    .limit(page.limit)
    .offset(page.offset);
  const ids = rows.map((r) => r.id);
  const links = ids.length
    ? await queryRows<{ person_id: string; codes: string[] }>(
        db,
        sql`select person_id, array_agg(distinct municipality_code order by municipality_code) as codes
            from person_links where person_id = any(${sql`array[${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )}]::uuid[]`}) group by person_id`,
      )
    : [];
  const codesOf = new Map(links.map((l) => [l.person_id, l.codes]));
  await recordAudit(db, ctx, {
    action: audit.action,
    entityType: 'segment',
    ...(audit.segmentId ? { entityId: audit.segmentId } : {}),
    details: { total: counted?.n ?? 0, results: ids.length, personIds: ids },
  });
  return {
    total: counted?.n ?? 0,
    items: rows.map((r) => ({ ...r, municipalities: codesOf.get(r.id) ?? [] })),
  };
}

/** Live count and first page of unsaved filters (the segment builder). */
export function previewSegment(db: Db, ctx: StaffContext, input: { filters: SegmentFiltersInput; limit: number }) {
  return peoplePage(db, ctx, input.filters, { limit: input.limit, offset: 0 }, { action: 'segment.preview' });
}

/**
 * Which saved segments the caller sees: the prefecture and the center all of the tenant's;
 * municipality staff their municipality's and the prefecture-wide ones.
 */
function segmentScope(ctx: StaffContext): SQL | undefined {
  if (scopedMunicipalities(ctx.actor) === null) return undefined;
  const own = ownMunicipality(ctx.actor);
  return or(isNull(segments.municipalityCode), own ? eq(segments.municipalityCode, own) : sql`false`);
}

/** Whether the caller may change the segment: its owner municipality's staff, or prefecture and center. */
function mayChange(ctx: StaffContext, s: typeof segments.$inferSelect): boolean {
  if (scopedMunicipalities(ctx.actor) === null) return true;
  return s.municipalityCode !== null && s.municipalityCode === ownMunicipality(ctx.actor);
}

const present = (s: typeof segments.$inferSelect) => ({
  id: s.id,
  name: s.name,
  filters: s.filters as SegmentFiltersInput,
  municipalityCode: s.municipalityCode,
  createdAt: s.createdAt.toISOString(),
  updatedAt: s.updatedAt.toISOString(),
});

export async function listSegments(db: Db, ctx: StaffContext) {
  const prefectureCode = await tenantPrefecture(db);
  const rows = await db
    .select()
    .from(segments)
    .where(and(eq(segments.prefectureCode, prefectureCode), segmentScope(ctx)))
    .orderBy(desc(segments.updatedAt), asc(segments.id));
  return { items: rows.map(present) };
}

/** One saved segment the caller sees; NOT_FOUND otherwise (never FORBIDDEN). */
async function segmentInScope(db: Db, ctx: StaffContext, id: string) {
  const prefectureCode = await tenantPrefecture(db);
  const [row] = await db
    .select()
    .from(segments)
    .where(and(eq(segments.id, id), eq(segments.prefectureCode, prefectureCode), segmentScope(ctx)));
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}

export async function getSegment(db: Db, ctx: StaffContext, id: string) {
  return present(await segmentInScope(db, ctx, id));
}

export async function createSegment(db: Db, ctx: StaffContext, input: SegmentInput) {
  return inTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(segments)
      .values({
        prefectureCode: await tenantPrefecture(tx),
        name: input.name,
        filters: input.filters,
        municipalityCode: ownMunicipality(ctx.actor),
        createdBy: ctx.actor.staffId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'segment.create',
      entityType: 'segment',
      entityId: row!.id,
      details: { filters: Object.keys(input.filters) },
    });
    return present(row!);
  });
}

export async function updateSegment(
  db: Db,
  ctx: StaffContext,
  id: string,
  input: { name?: string; filters?: SegmentFiltersInput },
) {
  return inTransaction(db, async (tx) => {
    const current = await segmentInScope(tx, ctx, id);
    if (!mayChange(ctx, current)) throw new AppError('FORBIDDEN');
    const [row] = await tx
      .update(segments)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.filters !== undefined ? { filters: input.filters } : {}),
        updatedAt: new Date(),
      })
      .where(eq(segments.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'segment.update',
      entityType: 'segment',
      entityId: id,
      details: { fields: Object.keys(input) },
    });
    return present(row!);
  });
}

export async function deleteSegment(db: Db, ctx: StaffContext, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const current = await segmentInScope(tx, ctx, id);
    if (!mayChange(ctx, current)) throw new AppError('FORBIDDEN');
    await tx.delete(segments).where(eq(segments.id, id));
    await recordAudit(tx, ctx, { action: 'segment.delete', entityType: 'segment', entityId: id });
  });
}

/** The people of a saved segment now, a page at a time, within the caller's scope (audited). */
export async function segmentPeople(db: Db, ctx: StaffContext, id: string, page: { limit: number; offset: number }) {
  const s = await segmentInScope(db, ctx, id);
  return peoplePage(db, ctx, s.filters as SegmentFiltersInput, page, { action: 'segment.people', segmentId: id });
}
