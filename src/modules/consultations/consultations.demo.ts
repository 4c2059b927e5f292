/**
 * Demo consultations and cases (synthetic, marked is_demo and 【デモデータ】): one person who moved
 * (with the link, the engagement record and the follow-ups a move brings), one case that ended
 * with a reason, and one open case with a referral to the demo partner agency. Dates are relative
 * to today so the demo looks current. Idempotent: nothing is added once demo cases exist.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { staff } from '../../platform/auth/auth.tables.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { todayInTokyo } from '../../shared/dates.js';
import type { CaseStep, ConsultationChannel, ConsultationTopic } from '../../shared/domain.js';
import { recordSourcedEngagements } from '../engagement/engagement.service.js';
import { organizations } from '../places/places.tables.js';
import { people, personLinks } from '../people/people.tables.js';
import { derivedColumns } from '../people/people.service.js';
import { caseSteps, cases, consultations, referrals } from './consultations.tables.js';
import { scheduleFollowups } from './followups.service.js';
import { addMonthsClamped } from './pipeline.js';

const NOTE = '【デモデータ】架空の人物です。 / Synthetic demo person.';
const DEMO_CENTER_EMAIL = 'center@demo.kankei.example';
const DEMO_PARTNER_ORG = '【デモ】やまがた就業支援センター';

type DemoConsultation = { monthsAgo: number; channel: ConsultationChannel; topics: ConsultationTopic[]; notes: string };
type DemoCase = {
  person: { name: string; kana: string; email: string; phone: string; prefecture: string; city: string };
  municipalityCode: string;
  consultations: DemoConsultation[];
  steps: Array<{ step: CaseStep; monthsAgo: number; municipalityCode?: string; endReason?: string; note?: string }>;
  referral?: { area: string; message: string };
};

const DEMO_CASES: DemoCase[] = [
  {
    person: { name: '早坂 里美', kana: 'ハヤサカ サトミ', email: 'demo-consult1@example.jp', phone: '090-0000-9001', prefecture: '東京都', city: '品川区' },
    municipalityCode: '062014',
    consultations: [
      { monthsAgo: 11, channel: 'fair', topics: ['work', 'housing'], notes: '【デモ】フェアで初回相談。IT 企業のリモートワーク継続を希望。' },
      { monthsAgo: 9, channel: 'tokyo_counter', topics: ['housing', 'childcare'], notes: '【デモ】保育園と住まいの相談。' },
    ],
    steps: [
      { step: 'visited', monthsAgo: 8, note: '【デモ】現地見学ツアーに参加' },
      { step: 'decided', monthsAgo: 6 },
      { step: 'moved', monthsAgo: 4, municipalityCode: '062014', note: '【デモ】家族3人で転入' },
    ],
  },
  {
    person: { name: '真壁 浩二', kana: 'マカベ コウジ', email: 'demo-consult2@example.jp', phone: '090-0000-9002', prefecture: '大阪府', city: '吹田市' },
    municipalityCode: '062031',
    consultations: [{ monthsAgo: 7, channel: 'osaka_office', topics: ['farming'], notes: '【デモ】就農の相談。' }],
    steps: [
      { step: 'trial_stay', monthsAgo: 5, note: '【デモ】お試し住宅に1週間滞在' },
      { step: 'ended', monthsAgo: 3, endReason: 'chose_elsewhere', note: '【デモ】他県での就農を選択' },
    ],
  },
  {
    person: { name: '東海林 葵', kana: 'ショウジ アオイ', email: 'demo-consult3@example.jp', phone: '090-0000-9003', prefecture: '神奈川県', city: '川崎市' },
    municipalityCode: '062014',
    consultations: [{ monthsAgo: 1, channel: 'online', topics: ['work', 'side_job'], notes: '【デモ】オンライン相談。製造業での就職を希望。' }],
    steps: [],
    referral: { area: 'jobs', message: '【デモ】製造業の求人をご紹介ください。' },
  },
];

export async function seedDemoConsultations(db: Db): Promise<{ created: number }> {
  const [already] = await db.select({ id: cases.id }).from(cases).where(eq(cases.isDemo, 1)).limit(1);
  if (already) return { created: 0 };
  const [consultant] = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, DEMO_CENTER_EMAIL));
  const [partner] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.name, DEMO_PARTNER_ORG));
  if (!consultant) return { created: 0 };
  const today = todayInTokyo();
  const ago = (months: number) => addMonthsClamped(today, -months);
  const system = { actor: null, ip: null, userAgent: null };

  await db.transaction(async (tx) => {
    for (const demo of DEMO_CASES) {
      const fields = { ...demo.person, kana: demo.person.kana, postalCode: null, birthYear: null, notes: NOTE };
      const [person] = await tx
        .insert(people)
        .values({ ...fields, ...derivedColumns(fields), isDemo: 1 })
        .returning({ id: people.id });
      const personId = person!.id;
      await tx.insert(personLinks).values({ personId, municipalityCode: demo.municipalityCode, kind: 'interest' }).onConflictDoNothing();
      const [first, ...later] = demo.consultations;
      const openedOn = ago(first!.monthsAgo);
      const [k] = await tx
        .insert(cases)
        .values({ personId, municipalityCode: demo.municipalityCode, step: 'first_contact', stepOn: openedOn, openedOn, consultantId: consultant.id, isDemo: 1 })
        .returning({ id: cases.id });
      const caseId = k!.id;
      const steps: Array<typeof caseSteps.$inferInsert> = [{ caseId, personId, step: 'first_contact', occurredOn: openedOn }];
      if (later[0]) steps.push({ caseId, personId, step: 'consulting', occurredOn: ago(later[0].monthsAgo) });
      for (const s of demo.steps) {
        steps.push({ caseId, personId, step: s.step, occurredOn: ago(s.monthsAgo), municipalityCode: s.municipalityCode ?? null, endReason: s.endReason ?? null, note: s.note ?? null });
      }
      await tx.insert(caseSteps).values(steps);
      const last = steps[steps.length - 1]!;
      const moved = demo.steps.find((s) => s.step === 'moved');
      const ended = demo.steps.find((s) => s.step === 'ended');
      await tx
        .update(cases)
        .set({
          step: last.step,
          stepOn: last.occurredOn,
          ...(moved ? { movedMunicipalityCode: moved.municipalityCode!, movedOn: ago(moved.monthsAgo) } : {}),
          ...(ended ? { endReason: ended.endReason!, endNote: ended.note ?? null } : {}),
        })
        .where(eq(cases.id, caseId));
      const inserted = await tx
        .insert(consultations)
        .values(
          demo.consultations.map((c) => ({
            personId,
            caseId,
            channel: c.channel,
            occurredOn: ago(c.monthsAgo),
            consultantId: consultant.id,
            topics: c.topics,
            municipalityCodes: [demo.municipalityCode],
            desiredTiming: 'within_1_year',
            residencePrefecture: demo.person.prefecture,
            notes: c.notes,
            isDemo: 1,
          })),
        )
        .returning({ id: consultations.id });
      if (moved) {
        const movedOn = ago(moved.monthsAgo);
        await tx.insert(personLinks).values({ personId, municipalityCode: moved.municipalityCode!, kind: 'moved_in' }).onConflictDoNothing();
        await recordSourcedEngagements(tx, [
          { personId, municipalityCode: moved.municipalityCode!, kind: 'moved_in', occurredOn: movedOn, source: 'case', sourceRef: caseId, externalKey: `case:${caseId}:moved`, createdBy: null },
        ]);
        await scheduleFollowups(tx, { caseId, personId, municipalityCode: moved.municipalityCode!, movedOn, assigneeId: consultant.id });
      }
      if (demo.referral && partner) {
        await tx.insert(referrals).values({
          personId,
          caseId,
          consultationId: inserted[inserted.length - 1]!.id,
          toOrganizationId: partner.id,
          area: demo.referral.area,
          message: demo.referral.message,
          createdBy: consultant.id,
          // Waiting for a few days, so the center's list of open referrals shows it.
          sentAt: new Date(Date.now() - 5 * 24 * 60 * 60 * 1000),
        });
      }
    }
    await recordAudit(tx, system, { action: 'demo.seed', details: { cases: DEMO_CASES.length } });
  });
  return { created: DEMO_CASES.length };
}
