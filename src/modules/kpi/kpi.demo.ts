/**
 * Demo data for the plan's figures (synthetic, marked 【デモ】): events held in the prefecture with
 * headcounts (tours, a conference and a festival brought to Yamagata — ③), and volunteering records
 * of demo people that step them up into 関与 (②), for each fiscal year of the seed-001 plan up to
 * today, so the /kpi page shows a plausible FY2024–FY2026 picture. ① comes from the demo cases'
 * moves (consultations.demo.ts). Idempotent: a database that has the demo events keeps them.
 */
import { and, eq, like, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { systemContext } from '../../platform/request-context.js';
import { queryRows } from '../../platform/db/client.js';
import { todayInTokyo } from '../../shared/dates.js';
import { seededRandom } from '../../shared/random.js';
import { recordSourcedEngagements } from '../engagement/index.js';
import { eventHeadcounts, events } from '../events/index.js';
import { currentFiscalYear, fiscalYearDates } from './kpi.rules.js';
import { SEED_001_PLAN } from './kpi.plans.js';
import { kpiCommitteeOpinions, kpiEvaluationCommentary, kpiEvaluations, kpiPlans } from './kpi.tables.js';

const MARK = '【デモ】';
/** Events brought to the prefecture each year: title, kind, venue, share of the year's visitors. */
const EVENTS: ReadonlyArray<{ title: string; kind: string; venue: string; share: number; month: number }> = [
  { title: '花笠まつり 関係人口交流ブース', kind: 'fair', venue: '062014', share: 0.38, month: 8 },
  { title: '東北地域づくり学会 山形大会（学会誘致）', kind: 'seminar', venue: '062014', share: 0.22, month: 10 },
  { title: '庄内 移住体験ツアー', kind: 'tour', venue: '062031', share: 0.08, month: 6 },
  { title: '全国高校生スポーツ大会 酒田開催（大会誘致）', kind: 'fair', venue: '062049', share: 0.24, month: 7 },
  { title: '最上 お試し滞在ウィーク', kind: 'trial_stay', venue: '062057', share: 0.08, month: 11 },
];
/** How far each year got against its target (FY2024 just short, FY2025 above). */
const PACE: Record<number, number> = { 2024: 0.94, 2025: 1.06, 2026: 0.97 };

/** The demo's assessment of each indicator (the prefecture's own words in a real evaluation). */
const DEMO_COMMENTARY: Record<string, string> = {
  uij_movers: '土日の相談窓口とオンライン相談により、移住者数は目標に近い水準となった。',
  relationship_created: '地域行事のボランティア募集を通じて関与する人が増え、目標を上回った。',
  exchange_created: '学会・大会の誘致により交流人口は目標を上回った。',
  ready_organizations: '受入れ体制の確認記録は準備中のため、次年度から集計する。',
};

const isoMonthDay = (fy: number, month: number, day: number) =>
  `${month >= 4 ? fy : fy + 1}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export async function seedDemoKpi(db: Db, now = new Date()): Promise<boolean> {
  const [already] = await db
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.isDemo, 1), like(events.title, `${MARK}${EVENTS[0]!.title}%`)))
    .limit(1);
  if (already) return false;
  const today = todayInTokyo(now);
  const lastYear = Math.min(currentFiscalYear(now), SEED_001_PLAN.toFiscalYear);
  const random = seededRandom(20240402);
  const exchange = SEED_001_PLAN.indicators.find((i) => i.code === 'exchange_created')!;
  const relationship = SEED_001_PLAN.indicators.find((i) => i.code === 'relationship_created')!;
  const demoPeople = await queryRows<{ id: string; municipality_code: string }>(
    db,
    sql`select p.id, min(l.municipality_code) as municipality_code
        from people p join person_links l on l.person_id = p.id
        where p.is_demo = 1 and p.deleted_at is null
        group by p.id order by p.id`,
  );
  let nextPerson = 0;
  await inTransaction(db, async (tx) => {
    for (let fy = SEED_001_PLAN.fromFiscalYear; fy <= lastYear; fy++) {
      const target = exchange.targets.find((t) => t.fiscalYear === fy)?.target ?? 0;
      for (const e of EVENTS) {
        const on = isoMonthDay(fy, e.month, 10 + Math.floor(random() * 10));
        if (on > today) continue;
        const [row] = await tx
          .insert(events)
          .values({
            kind: e.kind,
            title: `${MARK}${e.title} ${fy}`,
            startsAt: new Date(`${on}T10:00:00+09:00`),
            endsAt: new Date(`${on}T17:00:00+09:00`),
            status: 'published',
            venueMunicipalityCode: e.venue,
            hostMunicipalityCode: e.venue,
            isDemo: 1,
          })
          .returning({ id: events.id });
        await tx.insert(eventHeadcounts).values({
          eventId: row!.id,
          countedOn: on,
          count: Math.max(1, Math.round(target * e.share * (PACE[fy] ?? 1) * (0.95 + random() * 0.1))),
          note: `${MARK}主催者報告による来場者数`,
        });
      }
      // ②: a share of the demo people step up into 関与 by volunteering during the year.
      const wanted = Math.round(
        ((relationship.targets.find((t) => t.fiscalYear === fy)?.target ?? 0) * (PACE[fy] ?? 1)) / 4,
      );
      const { from } = fiscalYearDates(fy);
      const rows = [];
      for (let i = 0; i < wanted && nextPerson < demoPeople.length; i++, nextPerson++) {
        const person = demoPeople[nextPerson]!;
        const day = new Date(Date.parse(`${from}T00:00:00Z`) + Math.floor(random() * 360) * 86_400_000)
          .toISOString()
          .slice(0, 10);
        if (day > today) continue;
        rows.push({
          personId: person.id,
          municipalityCode: person.municipality_code,
          kind: 'volunteering' as const,
          occurredOn: day,
          source: 'demo',
          sourceRef: `${MARK}地域行事のボランティア`,
          externalKey: `demo:kpi:volunteering:${fy}`,
          createdBy: null,
        });
      }
      await recordSourcedEngagements(tx, rows);
    }
    // The last finished year of the plan gets a draft evaluation — the prefecture's assessment of
    // each indicator and one opinion of the committee — left for an admin to read and approve.
    const evaluated = Math.min(currentFiscalYear(now) - 1, SEED_001_PLAN.toFiscalYear);
    const [plan] = await tx.select({ id: kpiPlans.id }).from(kpiPlans).where(eq(kpiPlans.code, SEED_001_PLAN.code));
    if (plan && evaluated >= SEED_001_PLAN.fromFiscalYear) {
      const [evaluation] = await tx
        .insert(kpiEvaluations)
        .values({ planId: plan.id, fiscalYear: evaluated })
        .onConflictDoNothing()
        .returning({ id: kpiEvaluations.id });
      if (evaluation) {
        await tx.insert(kpiEvaluationCommentary).values(
          SEED_001_PLAN.indicators.map((i) => ({
            evaluationId: evaluation.id,
            indicatorCode: i.code,
            text: `${MARK}${DEMO_COMMENTARY[i.code] ?? '実績を踏まえ、次年度も取組みを継続する。'}`,
          })),
        );
        const opinionDay = isoMonthDay(evaluated + 1, 9, 10);
        if (opinionDay <= today)
          await tx.insert(kpiCommitteeOpinions).values({
            evaluationId: evaluation.id,
            givenOn: opinionDay,
            author: `${MARK}山形県関係人口推進有識者会議`,
            indicatorCode: null,
            text: `${MARK}関係人口の創出は概ね順調。継続して関わる人の割合も併せて評価されたい。`,
          });
      }
    }
    await recordAudit(tx, systemContext(), { action: 'demo.seed', details: { kpi: true, years: lastYear - 2023 } });
  });
  return true;
}
