/**
 * Loading and presenting consultations, cases, steps, referrals and follow-ups: the only way these
 * records leave the server (fields chosen here, never raw rows). Callers pass the scope condition;
 * people who were deleted are left out everywhere.
 */
import { and, asc, count, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { differenceInCalendarDays, parseISO } from 'date-fns';
import type { Db } from '../../platform/db/client.js';
import { staff } from '../../platform/auth/auth.tables.js';
import { todayInTokyo } from '../../shared/dates.js';
import type {
  CaseEndReason,
  CaseStep,
  ConsultationChannel,
  ConsultationTopic,
  DesiredTiming,
  FollowupStatus,
  ReferralArea,
  ReferralOutcome,
  ReferralStatus,
  UijType,
} from '../../shared/domain.js';
import { organizations } from '../../platform/places.tables.js';
import { people } from '../people/index.js';
import { caseSteps, cases, consultations, followups, referrals } from './consultations.tables.js';
import type {
  CaseStepItem,
  CaseSummaryView,
  ConsultationView,
  FollowupView,
  ReferralView,
} from './consultations.schemas.js';
import { isOpenStep } from './pipeline.js';

type Order = SQL | ReturnType<typeof asc>;
type Page = { limit: number; offset: number };
const staffRef = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

// --- Consultations -------------------------------------------------------------------------------

const consultationColumns = {
  c: consultations,
  personName: people.name,
  personKana: people.kana,
  consultantName: staff.name,
};
type ConsultationRow = {
  c: typeof consultations.$inferSelect;
  personName: string;
  personKana: string | null;
  consultantName: string | null;
};

export function presentConsultation({ c, personName, personKana, consultantName }: ConsultationRow): ConsultationView {
  return {
    id: c.id,
    person: { id: c.personId, name: personName, kana: personKana },
    caseId: c.caseId,
    channel: c.channel as ConsultationChannel,
    occurredOn: c.occurredOn,
    consultant: staffRef(c.consultantId, consultantName),
    topics: c.topics as ConsultationTopic[],
    municipalityCodes: c.municipalityCodes,
    desiredTiming: c.desiredTiming as DesiredTiming | null,
    householdSize: c.householdSize,
    withChildren: c.withChildren,
    familyNote: c.familyNote,
    residencePrefecture: c.residencePrefecture,
    notes: c.notes,
    nextAction: c.nextAction,
    nextActionDue: c.nextActionDue,
    nextActionDoneAt: c.nextActionDoneAt?.toISOString() ?? null,
    eventId: c.eventId,
    boothId: c.boothId,
    isDemo: c.isDemo === 1,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Consultations matching `where` (a scope condition included by the caller), with the total when asked. */
export async function loadConsultations(
  db: Db,
  where: SQL | undefined,
  page?: Page,
  orderBy: Order[] = [desc(consultations.occurredOn), desc(consultations.createdAt)],
) {
  const condition = and(where, isNull(people.deletedAt));
  const query = db
    .select(consultationColumns)
    .from(consultations)
    .innerJoin(people, eq(people.id, consultations.personId))
    .leftJoin(staff, eq(staff.id, consultations.consultantId))
    .where(condition)
    .orderBy(...orderBy);
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query;
  const total = page
    ? ((
        await db
          .select({ n: count() })
          .from(consultations)
          .innerJoin(people, eq(people.id, consultations.personId))
          .where(condition)
      )[0]?.n ?? 0)
    : rows.length;
  return { items: rows.map(presentConsultation), total };
}

// --- Cases ---------------------------------------------------------------------------------------

const caseColumns = { k: cases, personName: people.name, personKana: people.kana, consultantName: staff.name };
type CaseRow = {
  k: typeof cases.$inferSelect;
  personName: string;
  personKana: string | null;
  consultantName: string | null;
};

export function presentCase({ k, personName, personKana, consultantName }: CaseRow): CaseSummaryView {
  const step = k.step as CaseStep;
  return {
    id: k.id,
    person: { id: k.personId, name: personName, kana: personKana },
    step,
    stepOn: k.stepOn,
    openedOn: k.openedOn,
    municipalityCode: k.municipalityCode,
    consultant: staffRef(k.consultantId, consultantName),
    movedMunicipalityCode: k.movedMunicipalityCode,
    movedOn: k.movedOn,
    endReason: k.endReason as CaseEndReason | null,
    endNote: k.endNote,
    isOpen: isOpenStep(step),
    isDemo: k.isDemo === 1,
    createdAt: k.createdAt.toISOString(),
    updatedAt: k.updatedAt.toISOString(),
  };
}

export async function loadCases(
  db: Db,
  where: SQL | undefined,
  page?: Page,
  orderBy: Order[] = [desc(cases.stepOn), desc(cases.updatedAt), asc(cases.id)],
) {
  const condition = and(where, isNull(people.deletedAt));
  const query = db
    .select(caseColumns)
    .from(cases)
    .innerJoin(people, eq(people.id, cases.personId))
    .leftJoin(staff, eq(staff.id, cases.consultantId))
    .where(condition)
    .orderBy(...orderBy);
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query;
  const total = page
    ? ((
        await db.select({ n: count() }).from(cases).innerJoin(people, eq(people.id, cases.personId)).where(condition)
      )[0]?.n ?? 0)
    : rows.length;
  return { items: rows.map(presentCase), total };
}

export async function loadSteps(db: Db, where: SQL): Promise<Array<CaseStepItem & { caseId: string }>> {
  const rows = await db
    .select({ s: caseSteps, creatorName: staff.name })
    .from(caseSteps)
    .leftJoin(staff, eq(staff.id, caseSteps.createdBy))
    .where(where)
    .orderBy(asc(caseSteps.occurredOn), asc(caseSteps.createdAt));
  return rows.map(({ s, creatorName }) => ({
    id: s.id,
    caseId: s.caseId,
    step: s.step as CaseStep,
    occurredOn: s.occurredOn,
    municipalityCode: s.municipalityCode,
    endReason: s.endReason as CaseEndReason | null,
    householdSize: s.householdSize,
    uijType: s.uijType as UijType | null,
    note: s.note,
    createdBy: staffRef(s.createdBy, creatorName),
    createdAt: s.createdAt.toISOString(),
  }));
}

// --- Referrals -----------------------------------------------------------------------------------

const referralColumns = {
  r: referrals,
  personName: people.name,
  personKana: people.kana,
  personEmail: people.email,
  personPhone: people.phone,
  personPrefecture: people.prefecture,
  personCity: people.city,
  organizationName: organizations.name,
  creatorName: staff.name,
};
type ReferralRow = {
  r: typeof referrals.$inferSelect;
  personName: string;
  personKana: string | null;
  personEmail: string | null;
  personPhone: string | null;
  personPrefecture: string | null;
  personCity: string | null;
  organizationName: string | null;
  creatorName: string | null;
};

/** Calendar days in Japan between two instants (later minus earlier). */
function tokyoDaysBetween(from: Date, to: string): number {
  return differenceInCalendarDays(parseISO(to), parseISO(todayInTokyo(from)));
}

const OPEN_REFERRAL_STATUSES: ReadonlySet<string> = new Set(['sent', 'accepted']);
export const isOpenReferral = (status: string) => OPEN_REFERRAL_STATUSES.has(status);

export function presentReferral(row: ReferralRow, today = todayInTokyo()): ReferralView {
  const { r } = row;
  return {
    id: r.id,
    person: {
      id: r.personId,
      name: row.personName,
      kana: row.personKana,
      email: row.personEmail,
      phone: row.personPhone,
      prefecture: row.personPrefecture as ReferralView['person']['prefecture'],
      city: row.personCity,
    },
    caseId: r.caseId,
    consultationId: r.consultationId,
    toOrganization: r.toOrganizationId ? { id: r.toOrganizationId, name: row.organizationName ?? '' } : null,
    toMunicipalityCode: r.toMunicipalityCode,
    area: r.area as ReferralArea,
    message: r.message,
    status: r.status as ReferralStatus,
    outcome: r.outcome as ReferralOutcome | null,
    outcomeNote: r.outcomeNote,
    sentAt: r.sentAt.toISOString(),
    respondedAt: r.respondedAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    createdBy: staffRef(r.createdBy, row.creatorName),
    isOpen: isOpenReferral(r.status),
    daysSinceSent: tokyoDaysBetween(r.sentAt, today),
    daysToFirstResponse: r.respondedAt ? tokyoDaysBetween(r.sentAt, todayInTokyo(r.respondedAt)) : null,
  };
}

export async function loadReferrals(
  db: Db,
  where: SQL | undefined,
  page?: Page,
  orderBy: Order[] = [desc(referrals.sentAt), asc(referrals.id)],
) {
  const condition = and(where, isNull(people.deletedAt));
  const query = db
    .select(referralColumns)
    .from(referrals)
    .innerJoin(people, eq(people.id, referrals.personId))
    .leftJoin(organizations, eq(organizations.id, referrals.toOrganizationId))
    .leftJoin(staff, eq(staff.id, referrals.createdBy))
    .where(condition)
    .orderBy(...orderBy);
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query;
  const total = page
    ? ((
        await db
          .select({ n: count() })
          .from(referrals)
          .innerJoin(people, eq(people.id, referrals.personId))
          .where(condition)
      )[0]?.n ?? 0)
    : rows.length;
  const today = todayInTokyo();
  return { items: rows.map((row) => presentReferral(row, today)), total };
}

// --- Follow-ups ----------------------------------------------------------------------------------

const followupColumns = {
  f: followups,
  personName: people.name,
  personKana: people.kana,
  personEmail: people.email,
  personPhone: people.phone,
  assigneeName: staff.name,
  movedOn: cases.movedOn,
};
type FollowupRow = {
  f: typeof followups.$inferSelect;
  personName: string;
  personKana: string | null;
  personEmail: string | null;
  personPhone: string | null;
  assigneeName: string | null;
  movedOn: string | null;
};

export function presentFollowup(row: FollowupRow, today = todayInTokyo()): FollowupView {
  const { f } = row;
  return {
    id: f.id,
    person: {
      id: f.personId,
      name: row.personName,
      kana: row.personKana,
      email: row.personEmail,
      phone: row.personPhone,
    },
    caseId: f.caseId,
    municipalityCode: f.municipalityCode,
    assignee: staffRef(f.assigneeId, row.assigneeName),
    monthsAfterMove: f.monthsAfterMove,
    movedOn: row.movedOn,
    dueOn: f.dueOn,
    status: f.status as FollowupStatus,
    note: f.note,
    doneAt: f.doneAt?.toISOString() ?? null,
    isOverdue: f.status === 'open' && f.dueOn < today,
  };
}

export async function loadFollowups(
  db: Db,
  where: SQL | undefined,
  page?: Page,
  orderBy: Order[] = [asc(followups.dueOn), asc(followups.id)],
) {
  const condition = and(where, isNull(people.deletedAt));
  const query = db
    .select(followupColumns)
    .from(followups)
    .innerJoin(people, eq(people.id, followups.personId))
    .innerJoin(cases, eq(cases.id, followups.caseId))
    .leftJoin(staff, eq(staff.id, followups.assigneeId))
    .where(condition)
    .orderBy(...orderBy);
  const rows = page ? await query.limit(page.limit).offset(page.offset) : await query;
  const total = page
    ? ((
        await db
          .select({ n: count() })
          .from(followups)
          .innerJoin(people, eq(people.id, followups.personId))
          .where(condition)
      )[0]?.n ?? 0)
    : rows.length;
  const today = todayInTokyo();
  return { items: rows.map((row) => presentFollowup(row, today)), total };
}
