/**
 * Demo consultations and cases (synthetic, marked is_demo and 【デモデータ】): one person who moved
 * (with the link, the engagement record and the follow-ups a move brings), one case that ended
 * with a reason, and one open case with a referral to the demo partner agency — and, so that the
 * needs analysis has something to draw, a deterministic history of about three years for demo
 * people already seeded (demo0001…@example.jp): channels, topics and residences weighted roughly
 * as in the center's plan, cases climbing the pipeline with falling odds. Dates are relative to
 * today so the demo looks current. Idempotent: nothing is added once demo cases exist.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, like, lt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import { staff } from '../../platform/auth/auth.tables.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { todayInTokyo } from '../../shared/dates.js';
import {
  CASE_END_REASONS,
  type CaseStep,
  type UijType,
  type ConsultationChannel,
  type ConsultationTopic,
} from '../../shared/domain.js';
import { seededRandom } from '../../shared/random.js';
import { recordSourcedEngagements } from '../engagement/index.js';
import { organizations } from '../../platform/places.tables.js';
import { people, personLinks } from '../people/index.js';
import { addPersonLinks, derivedColumns } from '../people/index.js';
import { caseSteps, cases, consultations, followups, referrals } from './consultations.tables.js';
import { scheduleFollowups } from './followups.service.js';
import { addMonthsClamped } from './pipeline.js';
import { systemContext } from '../../platform/request-context.js';

const NOTE = '【デモデータ】架空の人物です。 / Synthetic demo person.';
const DEMO_CENTER_EMAIL = 'center@demo.kankei.example';
const DEMO_PARTNER_ORG = '【デモ】やまがた就業支援センター';

type DemoConsultation = { monthsAgo: number; channel: ConsultationChannel; topics: ConsultationTopic[]; notes: string };
type DemoCase = {
  person: { name: string; kana: string; email: string; phone: string; prefecture: string; city: string };
  municipalityCode: string;
  consultations: DemoConsultation[];
  steps: Array<{
    step: CaseStep;
    monthsAgo: number;
    municipalityCode?: string;
    endReason?: string;
    householdSize?: number;
    uijType?: UijType;
    note?: string;
  }>;
  referral?: { area: string; message: string };
};

const DEMO_CASES: DemoCase[] = [
  {
    person: {
      name: '早坂 里美',
      kana: 'ハヤサカ サトミ',
      email: 'demo-consult1@example.jp',
      phone: '090-0000-9001',
      prefecture: '東京都',
      city: '品川区',
    },
    municipalityCode: '062014',
    consultations: [
      {
        monthsAgo: 11,
        channel: 'fair',
        topics: ['work', 'housing'],
        notes: '【デモ】フェアで初回相談。IT 企業のリモートワーク継続を希望。',
      },
      {
        monthsAgo: 9,
        channel: 'tokyo_counter',
        topics: ['housing', 'childcare'],
        notes: '【デモ】保育園と住まいの相談。',
      },
    ],
    steps: [
      { step: 'visited', monthsAgo: 8, note: '【デモ】現地見学ツアーに参加' },
      { step: 'decided', monthsAgo: 6 },
      {
        step: 'moved',
        monthsAgo: 4,
        municipalityCode: '062014',
        householdSize: 3,
        uijType: 'I',
        note: '【デモ】家族3人で転入',
      },
    ],
  },
  {
    person: {
      name: '真壁 浩二',
      kana: 'マカベ コウジ',
      email: 'demo-consult2@example.jp',
      phone: '090-0000-9002',
      prefecture: '大阪府',
      city: '吹田市',
    },
    municipalityCode: '062031',
    consultations: [{ monthsAgo: 7, channel: 'osaka_office', topics: ['farming'], notes: '【デモ】就農の相談。' }],
    steps: [
      { step: 'trial_stay', monthsAgo: 5, note: '【デモ】お試し住宅に1週間滞在' },
      { step: 'ended', monthsAgo: 3, endReason: 'chose_elsewhere', note: '【デモ】他県での就農を選択' },
    ],
  },
  {
    person: {
      name: '東海林 葵',
      kana: 'ショウジ アオイ',
      email: 'demo-consult3@example.jp',
      phone: '090-0000-9003',
      prefecture: '神奈川県',
      city: '川崎市',
    },
    municipalityCode: '062014',
    consultations: [
      {
        monthsAgo: 1,
        channel: 'online',
        topics: ['work', 'side_job'],
        notes: '【デモ】オンライン相談。製造業での就職を希望。',
      },
    ],
    steps: [],
    referral: { area: 'jobs', message: '【デモ】製造業の求人をご紹介ください。' },
  },
];

export async function seedDemoConsultations(db: Db): Promise<{ created: number }> {
  const [already] = await db.select({ id: cases.id }).from(cases).where(eq(cases.isDemo, 1)).limit(1);
  if (already) return { created: 0 };
  const [consultant] = await db.select({ id: staff.id }).from(staff).where(eq(staff.email, DEMO_CENTER_EMAIL));
  const [partner] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.name, DEMO_PARTNER_ORG));
  if (!consultant) return { created: 0 };
  const today = todayInTokyo();
  const ago = (months: number) => addMonthsClamped(today, -months);
  const system = systemContext();

  await inTransaction(db, async (tx) => {
    for (const demo of DEMO_CASES) {
      const fields = { ...demo.person, kana: demo.person.kana, postalCode: null, birthYear: null, notes: NOTE };
      const [person] = await tx
        .insert(people)
        .values({ ...fields, ...derivedColumns(fields), isDemo: 1 })
        .returning({ id: people.id });
      const personId = person!.id;
      await tx
        .insert(personLinks)
        .values({ personId, municipalityCode: demo.municipalityCode, kind: 'interest' })
        .onConflictDoNothing();
      const [first, ...later] = demo.consultations;
      const openedOn = ago(first!.monthsAgo);
      const [k] = await tx
        .insert(cases)
        .values({
          personId,
          municipalityCode: demo.municipalityCode,
          step: 'first_contact',
          stepOn: openedOn,
          openedOn,
          consultantId: consultant.id,
          isDemo: 1,
        })
        .returning({ id: cases.id });
      const caseId = k!.id;
      const steps: Array<typeof caseSteps.$inferInsert> = [
        { caseId, personId, step: 'first_contact', occurredOn: openedOn },
      ];
      if (later[0]) steps.push({ caseId, personId, step: 'consulting', occurredOn: ago(later[0].monthsAgo) });
      for (const s of demo.steps) {
        steps.push({
          caseId,
          personId,
          step: s.step,
          occurredOn: ago(s.monthsAgo),
          municipalityCode: s.municipalityCode ?? null,
          endReason: s.endReason ?? null,
          householdSize: s.step === 'moved' ? (s.householdSize ?? 1) : null,
          uijType: s.step === 'moved' ? (s.uijType ?? null) : null,
          note: s.note ?? null,
        });
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
        await tx
          .insert(personLinks)
          .values({ personId, municipalityCode: moved.municipalityCode!, kind: 'moved_in' })
          .onConflictDoNothing();
        await recordSourcedEngagements(tx, [
          {
            personId,
            municipalityCode: moved.municipalityCode!,
            kind: 'moved_in',
            occurredOn: movedOn,
            source: 'case',
            sourceRef: caseId,
            externalKey: `case:${caseId}:moved`,
            createdBy: null,
          },
        ]);
        await scheduleFollowups(tx, {
          caseId,
          personId,
          municipalityCode: moved.municipalityCode!,
          movedOn,
          assigneeId: consultant.id,
        });
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
    const history = await seedDemoHistory(tx, consultant.id, today);
    await recordAudit(tx, system, {
      action: 'demo.seed',
      details: { cases: DEMO_CASES.length + history.cases, consultations: history.consultations },
    });
  });
  return { created: DEMO_CASES.length };
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;
const pickWeighted = <T>(random: () => number, items: Weighted<T>): T => {
  let r = random() * items.reduce((sum, [, w]) => sum + w, 0);
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
};

const HISTORY_CHANNELS: Weighted<ConsultationChannel> = [
  ['fair', 16],
  ['mini_day', 8],
  ['theme_desk', 4],
  ['online', 18],
  ['tokyo_counter', 20],
  ['yamagata_counter', 12],
  ['osaka_office', 4],
  ['nagoya_office', 3],
  ['station_popup', 3],
  ['phone', 8],
  ['mail', 4],
];
const HISTORY_TOPICS: Weighted<ConsultationTopic> = [
  ['work', 20],
  ['housing', 20],
  ['childcare', 8],
  ['education', 4],
  ['farming', 6],
  ['business', 4],
  ['two_region_living', 5],
  ['side_job', 5],
  ['medical_care', 3],
  ['transport', 4],
  ['snow_life', 6],
  ['support_programs', 10],
  ['other', 2],
];
/** Where consulting people live: the Tokyo area about 60 % (the center's plan), then Kansai, Chukyo, the prefecture itself. */
const HISTORY_RESIDENCES: Weighted<string> = [
  ['東京都', 30],
  ['神奈川県', 13],
  ['埼玉県', 10],
  ['千葉県', 8],
  ['大阪府', 5],
  ['兵庫県', 2],
  ['京都府', 2],
  ['愛知県', 4],
  ['岐阜県', 1],
  ['山形県', 8],
  ['宮城県', 5],
  ['北海道', 1],
  ['福岡県', 1],
];
/** The larger towns get more interest. */
const HISTORY_MUNICIPALITIES: Weighted<string> = [
  ['062014', 30],
  ['062031', 14],
  ['062049', 10],
  ['062022', 9],
  ['062103', 8],
  ['062111', 6],
  ['062057', 5],
  ['062065', 4],
  ['062073', 4],
  ['062090', 3],
  ['063410', 3],
  ['064611', 2],
];
const HISTORY_CASES = 150;
const HISTORY_MONTHS = 34;

const isoMinusDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * The demo history: one case per demo person (the first HISTORY_CASES of them by email), opened
 * over the last HISTORY_MONTHS months, with one to four consultations along its life. Of the cases,
 * about half are visited or stay on trial, two thirds of those decide, three quarters of deciders
 * move (to the municipality of the case); a move a year old or more is settled half of the time;
 * cases older than half a year that went nowhere end with a reason a third of the time. Moves bring
 * the moved_in link, the engagement record and the follow-ups (those already due marked done).
 */
async function seedDemoHistory(
  tx: Tx,
  consultantId: string,
  today: string,
): Promise<{ cases: number; consultations: number }> {
  const random = seededRandom(20240401);
  const demoPeople = await tx
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.isDemo, 1), like(people.email, 'demo0%@example.jp')))
    .orderBy(people.email)
    .limit(HISTORY_CASES);
  const caseRows: Array<typeof cases.$inferInsert> = [];
  const stepRows: Array<typeof caseSteps.$inferInsert> = [];
  const consultationRows: Array<typeof consultations.$inferInsert> = [];
  const moves: Array<{ caseId: string; personId: string; municipalityCode: string; movedOn: string }> = [];
  const interest: Array<{ personId: string; codes: string[] }> = [];
  const daysAgo = (d: number) => isoMinusDays(today, Math.max(0, Math.round(d)));

  // Household sizes and UIJ types of the moves come from their own sequence, so the histories stay as before.
  const household = seededRandom(20240401);
  const householdOf = () => {
    const r = household();
    return r < 0.45 ? 1 : r < 0.7 ? 2 : r < 0.85 ? 3 : r < 0.95 ? 4 : 5;
  };
  const uijOf = (): UijType => {
    const r = household();
    return r < 0.35 ? 'U' : r < 0.8 ? 'I' : 'J';
  };
  for (const { id: personId } of demoPeople) {
    const caseId = randomUUID();
    const municipalityCode = pickWeighted(random, HISTORY_MUNICIPALITIES);
    const residence = pickWeighted(random, HISTORY_RESIDENCES);
    const openedAgo = 5 + random() * (HISTORY_MONTHS * 30.4 - 5);
    // The pipeline, day by day from the first contact, never past today.
    const steps: Array<{ step: CaseStep; ago: number; municipalityCode?: string; endReason?: string }> = [
      { step: 'first_contact', ago: openedAgo },
    ];
    let at = openedAgo;
    const next = (minDays: number, spread: number) => {
      at = at - minDays - random() * spread;
      return at > 0;
    };
    const consultationsCount = 1 + Math.floor(random() * 4);
    if (consultationsCount > 1 && next(10, 40)) steps.push({ step: 'consulting', ago: at });
    let moved = false;
    if (random() < 0.5 && next(20, 90)) {
      steps.push({ step: random() < 0.7 ? 'visited' : 'trial_stay', ago: at });
      if (random() < 0.67 && next(20, 120)) {
        steps.push({ step: 'decided', ago: at });
        if (random() < 0.75 && next(30, 150)) {
          steps.push({ step: 'moved', ago: at, municipalityCode });
          moved = true;
          if (at > 365 && random() < 0.5) steps.push({ step: 'settled', ago: at - 365 });
        }
      }
    }
    if (!moved && openedAgo > 180 && random() < 0.33) {
      steps.push({
        step: 'ended',
        ago: Math.max(1, at - 30 - random() * 60),
        endReason: CASE_END_REASONS[Math.floor(random() * CASE_END_REASONS.length)]!,
      });
    }
    const last = steps[steps.length - 1]!;
    const movedStep = steps.find((x) => x.step === 'moved');
    caseRows.push({
      id: caseId,
      personId,
      municipalityCode,
      step: last.step,
      stepOn: daysAgo(last.ago),
      openedOn: daysAgo(openedAgo),
      consultantId,
      movedMunicipalityCode: movedStep ? municipalityCode : null,
      movedOn: movedStep ? daysAgo(movedStep.ago) : null,
      endReason: last.endReason ?? null,
      isDemo: 1,
    });
    for (const x of steps) {
      stepRows.push({
        caseId,
        personId,
        step: x.step,
        occurredOn: daysAgo(x.ago),
        municipalityCode: x.municipalityCode ?? null,
        endReason: x.endReason ?? null,
        ...(x.step === 'moved' ? { householdSize: householdOf(), uijType: uijOf() } : {}),
        note: x.step === 'first_contact' ? '【デモ】' : null,
      });
    }
    // Consultations from the first contact until the decision (or the case's last step).
    const until = steps.find((x) => x.step === 'decided' || x.step === 'ended')?.ago ?? Math.max(0, last.ago);
    const codes = new Set([municipalityCode]);
    if (random() < 0.4) codes.add(pickWeighted(random, HISTORY_MUNICIPALITIES));
    // No more consultations than the case's life leaves room for (about one every three weeks).
    const held = Math.min(consultationsCount, 1 + Math.floor((openedAgo - until) / 21));
    for (let c = 0; c < held; c++) {
      const ago = c === 0 ? openedAgo : openedAgo - ((openedAgo - until) * c) / held;
      const topics = new Set([pickWeighted(random, HISTORY_TOPICS)]);
      if (random() < 0.5) topics.add(pickWeighted(random, HISTORY_TOPICS));
      consultationRows.push({
        personId,
        caseId,
        channel: pickWeighted(random, HISTORY_CHANNELS),
        occurredOn: daysAgo(ago),
        consultantId,
        topics: [...topics],
        municipalityCodes: [...codes],
        desiredTiming: moved ? 'within_1_year' : 'undecided',
        residencePrefecture: residence,
        notes: '【デモ】架空の相談記録です。',
        isDemo: 1,
      });
    }
    interest.push({ personId, codes: [...codes] });
    if (movedStep) moves.push({ caseId, personId, municipalityCode, movedOn: daysAgo(movedStep.ago) });
  }

  if (caseRows.length) {
    await tx.insert(cases).values(caseRows);
    await tx.insert(caseSteps).values(stepRows);
    await tx.insert(consultations).values(consultationRows);
  }
  for (const { personId, codes } of interest) await addPersonLinks(tx, personId, codes, 'interest');
  for (const m of moves) {
    await addPersonLinks(tx, m.personId, [m.municipalityCode], 'moved_in');
    await scheduleFollowups(tx, {
      caseId: m.caseId,
      personId: m.personId,
      municipalityCode: m.municipalityCode,
      movedOn: m.movedOn,
      assigneeId: consultantId,
    });
  }
  await recordSourcedEngagements(
    tx,
    moves.map((m) => ({
      personId: m.personId,
      municipalityCode: m.municipalityCode,
      kind: 'moved_in' as const,
      occurredOn: m.movedOn,
      source: 'case',
      sourceRef: m.caseId,
      externalKey: `case:${m.caseId}:moved`,
      createdBy: null,
    })),
  );
  // A history is not a backlog: follow-ups already due were done on their day.
  const history = moves.map((m) => m.caseId);
  for (const caseId of history) {
    await tx
      .update(followups)
      .set({ status: 'done', doneAt: sql`due_on::timestamptz`, note: '【デモ】' })
      .where(and(eq(followups.caseId, caseId), lt(followups.dueOn, today)));
  }
  return { cases: caseRows.length, consultations: consultationRows.length };
}
