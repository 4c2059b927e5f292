/**
 * The premium tier of a supporter registration (ふるさと住民登録's プレミアム): the supporter
 * applies on /me with the activity it rests on and evidence files; staff of that municipality
 * review (approve, ask for more, refuse with a reason), each step dated and audited. On approval
 * the registration becomes premium, the activity's engagement record is written (so the stage
 * moves) and the card is reissued naming the tier.
 *
 * Evidence files are kept in the database with the application, never public: only the applicant
 * (their list names the files) and the municipality's staff (each read audited) reach them.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import type { SelfContext, StaffContext } from '../../platform/request-context.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { todayInTokyo } from '../../shared/dates.js';
import type { EngagementKind } from '../../shared/domain.js';
import { recordSourcedEngagements } from '../engagement/index.js';
import { people, supporterRegistrations } from '../people/index.js';
import { mayReviewPremium } from './registry.policy.js';
import type { PremiumActivity, PremiumApplicationView, PremiumQueueItemView } from './registry.schemas.js';
import type { Supporter } from './registry.service.js';
import { premiumApplicationSteps, premiumApplications, premiumEvidence } from './registry.tables.js';

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;
export const EVIDENCE_MAX_FILES = 5;
export const EVIDENCE_TYPES_LABEL = 'JPEG, PNG, WebP, PDF';

/** The engagement record an approved activity writes (docs/stages.md: these move the stage). */
const ACTIVITY_ENGAGEMENT: Readonly<Record<PremiumActivity, EngagementKind>> = {
  volunteering: 'volunteering',
  side_job: 'side_job',
  two_region_living: 'two_region_living',
  events: 'event',
};

/** An uploaded file as the route hands it over: name, bytes, and whether it was cut at the size limit. */
export type EvidenceUpload = { fileName: string; content: Buffer; truncated: boolean };

/** The file's type by its first bytes (never by its name or the sender's word): an image or a PDF, or null. */
export function sniffEvidenceType(content: Buffer): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, i) => content[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0x52, 0x49, 0x46, 0x46) && content.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  return null;
}

/** Checks every file (size, type by content); the problems name `evidenceFiles.<n>`. */
export function checkEvidence(files: EvidenceUpload[], options: { required: boolean }) {
  const fields: Record<string, FieldProblem> = {};
  if (options.required && files.length === 0) fields.evidenceFiles = { problem: 'required' };
  if (files.length > EVIDENCE_MAX_FILES)
    fields.evidenceFiles = { problem: 'too_many', params: { max: EVIDENCE_MAX_FILES } };
  const checked = files.map((f, i) => {
    const mediaType = sniffEvidenceType(f.content);
    if (f.truncated || f.content.length > EVIDENCE_MAX_BYTES)
      fields[`evidenceFiles.${i}`] = { problem: 'file_too_large', params: { max: '5 MB' } };
    else if (!mediaType)
      fields[`evidenceFiles.${i}`] = { problem: 'file_type_not_allowed', params: { types: EVIDENCE_TYPES_LABEL } };
    return { ...f, mediaType: mediaType ?? '' };
  });
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  return checked.map((f) => ({
    fileName: (f.fileName || 'evidence').slice(0, 200),
    mediaType: f.mediaType,
    sizeBytes: f.content.length,
    content: f.content,
  }));
}

const OPEN = ['submitted', 'more_requested'] as const;

/**
 * Applies for premium with one registration. Refused when the person does not support the
 * municipality, is premium there already, or has an application there still open.
 */
export async function submitPremiumApplication(
  db: Db,
  ctx: SelfContext,
  supporter: Supporter,
  input: { municipalityCode: string; activity: PremiumActivity; activityDescription: string; files: EvidenceUpload[] },
): Promise<string> {
  const files = checkEvidence(input.files, { required: true });
  return inTransaction(db, async (tx) => {
    const [registration] = await tx
      .select()
      .from(supporterRegistrations)
      .where(
        and(
          eq(supporterRegistrations.personId, supporter.personId),
          eq(supporterRegistrations.municipalityCode, input.municipalityCode),
        ),
      )
      .for('update');
    if (!registration)
      throw new AppError('VALIDATION', {
        fields: { municipalityCode: { problem: 'not_a_supporter', params: { value: input.municipalityCode } } },
      });
    if (registration.tier === 'premium')
      throw new AppError('VALIDATION', { fields: { municipalityCode: { problem: 'duplicate' } } });
    const [open] = await tx
      .select({ id: premiumApplications.id })
      .from(premiumApplications)
      .where(
        and(eq(premiumApplications.registrationId, registration.id), inArray(premiumApplications.status, [...OPEN])),
      );
    if (open) throw new AppError('VALIDATION', { fields: { municipalityCode: { problem: 'duplicate' } } });
    const [application] = await tx
      .insert(premiumApplications)
      .values({
        personId: supporter.personId,
        registrationId: registration.id,
        municipalityCode: input.municipalityCode,
        activity: input.activity,
        description: input.activityDescription,
      })
      .returning({ id: premiumApplications.id });
    const id = application!.id;
    await tx
      .insert(premiumApplicationSteps)
      .values({ personId: supporter.personId, applicationId: id, step: 'submitted' });
    await tx
      .insert(premiumEvidence)
      .values(files.map((f) => ({ ...f, personId: supporter.personId, applicationId: id })));
    await recordAudit(tx, ctx, {
      action: 'premium.apply',
      entityType: 'premium_application',
      entityId: id,
      personId: supporter.personId,
      municipalityCode: input.municipalityCode,
      details: { activity: input.activity, files: files.length, bytes: files.reduce((n, f) => n + f.sizeBytes, 0) },
    });
    return id;
  });
}

/** The supporter's answer to "please send more": a message and more files; the application is submitted again. */
export async function answerPremiumRequest(
  db: Db,
  ctx: SelfContext,
  supporter: Supporter,
  applicationId: string,
  input: { replyMessage: string; files: EvidenceUpload[] },
): Promise<void> {
  const files = checkEvidence(input.files, { required: false });
  await inTransaction(db, async (tx) => {
    const [application] = await tx
      .select()
      .from(premiumApplications)
      .where(and(eq(premiumApplications.id, applicationId), eq(premiumApplications.personId, supporter.personId)))
      .for('update');
    if (!application) throw new AppError('NOT_FOUND');
    if (application.status !== 'more_requested')
      throw new AppError('VALIDATION', { fields: { replyMessage: { problem: 'application_not_open' } } });
    await tx
      .update(premiumApplications)
      .set({ status: 'submitted', updatedAt: new Date() })
      .where(eq(premiumApplications.id, applicationId));
    await tx.insert(premiumApplicationSteps).values({
      personId: supporter.personId,
      applicationId,
      step: 'answered',
      message: input.replyMessage,
    });
    if (files.length)
      await tx
        .insert(premiumEvidence)
        .values(files.map((f) => ({ ...f, personId: supporter.personId, applicationId })));
    await recordAudit(tx, ctx, {
      action: 'premium.answer',
      entityType: 'premium_application',
      entityId: applicationId,
      personId: supporter.personId,
      municipalityCode: application.municipalityCode,
      details: { files: files.length },
    });
  });
}

async function presentApplications(db: Db, rows: Array<typeof premiumApplications.$inferSelect>) {
  const ids = rows.map((r) => r.id);
  const [steps, files] = ids.length
    ? await Promise.all([
        db
          .select()
          .from(premiumApplicationSteps)
          .where(inArray(premiumApplicationSteps.applicationId, ids))
          .orderBy(asc(premiumApplicationSteps.at)),
        db
          .select({
            id: premiumEvidence.id,
            applicationId: premiumEvidence.applicationId,
            fileName: premiumEvidence.fileName,
            mediaType: premiumEvidence.mediaType,
            sizeBytes: premiumEvidence.sizeBytes,
            createdAt: premiumEvidence.createdAt,
          })
          .from(premiumEvidence)
          .where(inArray(premiumEvidence.applicationId, ids))
          .orderBy(asc(premiumEvidence.createdAt)),
      ])
    : [[], []];
  return rows.map(
    (r): PremiumApplicationView => ({
      id: r.id,
      registrationId: r.registrationId,
      municipalityCode: r.municipalityCode,
      activity: r.activity as PremiumActivity,
      activityDescription: r.description,
      status: r.status as PremiumApplicationView['status'],
      createdAt: r.createdAt.toISOString(),
      decidedAt: r.decidedAt?.toISOString() ?? null,
      steps: steps
        .filter((s) => s.applicationId === r.id)
        .map((s) => ({
          step: s.step as PremiumApplicationView['steps'][number]['step'],
          message: s.message,
          at: s.at.toISOString(),
        })),
      files: files
        .filter((f) => f.applicationId === r.id)
        .map((f) => ({ id: f.id, fileName: f.fileName, mediaType: f.mediaType, sizeBytes: f.sizeBytes })),
    }),
  );
}

/** The supporter's own applications, newest first. */
export async function myPremiumApplications(db: Db, personId: string): Promise<PremiumApplicationView[]> {
  const rows = await db
    .select()
    .from(premiumApplications)
    .where(eq(premiumApplications.personId, personId))
    .orderBy(desc(premiumApplications.createdAt));
  return presentApplications(db, rows);
}

/**
 * The review queue: applications of the caller's municipalities (all for prefecture and center),
 * waiting ones first. Audited as a read of the people named (count and ids).
 */
export async function premiumQueue(
  db: Db,
  ctx: StaffContext,
  query: { status?: PremiumApplicationView['status'] },
): Promise<PremiumQueueItemView[]> {
  const scope = scopedMunicipalities(ctx.actor);
  if (scope !== null && scope.length === 0) return [];
  const rows = await db
    .select({ application: premiumApplications, name: people.name, kana: people.kana })
    .from(premiumApplications)
    .innerJoin(people, eq(people.id, premiumApplications.personId))
    .where(
      and(
        scope ? inArray(premiumApplications.municipalityCode, scope) : undefined,
        query.status ? eq(premiumApplications.status, query.status) : undefined,
        sql`${people.deletedAt} is null`,
      ),
    )
    .orderBy(
      sql`case ${premiumApplications.status} when 'submitted' then 0 when 'more_requested' then 1 else 2 end`,
      asc(premiumApplications.updatedAt),
    )
    .limit(200);
  const presented = await presentApplications(
    db,
    rows.map((r) => r.application),
  );
  await recordAudit(db, ctx, {
    action: 'premium.queue.read',
    entityType: 'premium_application',
    details: { count: rows.length, status: query.status ?? null },
  });
  return presented.map((p, i) => ({
    ...p,
    personId: rows[i]!.application.personId,
    personName: rows[i]!.name,
    personKana: rows[i]!.kana,
  }));
}

/** Finds an application the staff member may see (their municipality; all for prefecture and center), else NOT_FOUND. */
async function applicationInScope(db: Db, ctx: StaffContext, applicationId: string) {
  const [application] = await db.select().from(premiumApplications).where(eq(premiumApplications.id, applicationId));
  const scope = scopedMunicipalities(ctx.actor);
  if (!application || (scope !== null && !scope.includes(application.municipalityCode)))
    throw new AppError('NOT_FOUND');
  return application;
}

/** One evidence file for review (audited: who read which file of whom). */
export async function readEvidenceFile(db: Db, ctx: StaffContext, applicationId: string, fileId: string) {
  const application = await applicationInScope(db, ctx, applicationId);
  const [file] = await db
    .select()
    .from(premiumEvidence)
    .where(and(eq(premiumEvidence.id, fileId), eq(premiumEvidence.applicationId, applicationId)));
  if (!file) throw new AppError('NOT_FOUND');
  await recordAudit(db, ctx, {
    action: 'premium.evidence.read',
    entityType: 'premium_evidence',
    entityId: file.id,
    personId: application.personId,
    municipalityCode: application.municipalityCode,
    details: { applicationId, mediaType: file.mediaType, bytes: file.sizeBytes },
  });
  return file;
}

export type PremiumDecision = 'approve' | 'ask_more' | 'refuse';

/**
 * The municipality's decision on the open application of a registration: approve (the
 * registration becomes premium, the activity's engagement record is written), ask for more, or
 * refuse — the last two with a message the applicant reads. Only the municipality's own staff
 * decide (policy); outside it, or with nothing open, NOT_FOUND / a field problem.
 * Returns the person, so the route can reissue the card after an approval.
 */
export async function reviewPremium(
  db: Db,
  ctx: StaffContext,
  registrationId: string,
  input: { decision: PremiumDecision; reviewMessage?: string | null },
): Promise<{ personId: string; approved: boolean }> {
  return inTransaction(db, async (tx) => {
    const [registration] = await tx
      .select()
      .from(supporterRegistrations)
      .where(eq(supporterRegistrations.id, registrationId))
      .for('update');
    if (!registration || !mayReviewPremium(ctx.actor, registration.municipalityCode)) throw new AppError('NOT_FOUND');
    const [application] = await tx
      .select()
      .from(premiumApplications)
      .where(and(eq(premiumApplications.registrationId, registrationId), eq(premiumApplications.status, 'submitted')))
      .orderBy(desc(premiumApplications.createdAt))
      .limit(1);
    if (!application) throw new AppError('VALIDATION', { fields: { decision: { problem: 'application_not_open' } } });
    if (input.decision !== 'approve' && !input.reviewMessage)
      throw new AppError('VALIDATION', { fields: { reviewMessage: { problem: 'required' } } });
    const now = new Date();
    const status = { approve: 'approved', ask_more: 'more_requested', refuse: 'refused' }[input.decision];
    await tx
      .update(premiumApplications)
      .set({ status, updatedAt: now, ...(input.decision === 'ask_more' ? {} : { decidedAt: now }) })
      .where(eq(premiumApplications.id, application.id));
    await tx.insert(premiumApplicationSteps).values({
      personId: application.personId,
      applicationId: application.id,
      step: status,
      message: input.reviewMessage ?? null,
      staffId: ctx.actor.staffId,
      at: now,
    });
    let engagementIds: string[] = [];
    if (input.decision === 'approve') {
      await tx
        .update(supporterRegistrations)
        .set({ tier: 'premium', premiumSince: now })
        .where(eq(supporterRegistrations.id, registrationId));
      engagementIds = await recordSourcedEngagements(tx, [
        {
          personId: application.personId,
          municipalityCode: application.municipalityCode,
          kind: ACTIVITY_ENGAGEMENT[application.activity as PremiumActivity],
          occurredOn: todayInTokyo(now),
          source: 'premium_application',
          sourceRef: application.id,
          externalKey: `premium:${application.id}`,
          createdBy: ctx.actor.staffId,
        },
      ]);
    }
    await recordAudit(tx, ctx, {
      action: `premium.${input.decision}`,
      entityType: 'premium_application',
      entityId: application.id,
      personId: application.personId,
      municipalityCode: application.municipalityCode,
      details: { registrationId, engagements: engagementIds },
    });
    return { personId: application.personId, approved: input.decision === 'approve' };
  });
}
