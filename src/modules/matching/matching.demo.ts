/**
 * Demo regional issues, projects and matches (synthetic, marked 【デモ】 and is_demo): issues at
 * raised, brushing up and published; two published projects cut from the published one; matches
 * of demo people at proposed, agreed and collaborating with their dated steps and an
 * accompaniment timeline; one training. The collaborating match carries its engagement record,
 * as a real one would. Idempotent: nothing is added once a demo issue exists.
 */
import { asc, eq, like } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { organizations } from '../../platform/places.tables.js';
import { systemContext } from '../../platform/request-context.js';
import { todayInTokyo } from '../../shared/dates.js';
import { recordSourcedEngagements } from '../engagement/index.js';
import { people } from '../people/index.js';
import {
  matchAccompaniments,
  matches,
  matchSteps,
  projects,
  regionalIssues,
  regionalIssueVersions,
  trainings,
} from './matching.tables.js';

export async function seedDemoMatching(db: Db, now = new Date()): Promise<boolean> {
  const [already] = await db
    .select({ id: regionalIssues.id })
    .from(regionalIssues)
    .where(eq(regionalIssues.isDemo, 1))
    .limit(1);
  if (already) return false;
  const demoPeople = await db
    .select({ id: people.id })
    .from(people)
    .where(eq(people.isDemo, 1))
    .orderBy(asc(people.createdAt), asc(people.id))
    .limit(3);
  const [org] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(like(organizations.name, '【デモ】%'))
    .orderBy(asc(organizations.name))
    .limit(1);
  if (demoPeople.length < 3 || !org) return false;
  const today = todayInTokyo(now);
  const day = (n: number) => {
    const d = new Date(`${today}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  };
  await inTransaction(db, async (tx) => {
    const issueRows = await tx
      .insert(regionalIssues)
      .values([
        {
          municipalityCode: '062014',
          title: '【デモ】中心商店街の買い物支援と空き店舗の活用',
          category: 'shopping_access',
          background: '【デモ】徒歩圏の店が減り、高齢の世帯が買い物に困っている。移動販売と EC の両方を検討したい。',
          skills: ['EC', '事業計画', '写真撮影'],
          hoursPerMonth: 10,
          remotePercent: 70,
          contactOrganizationId: org.id,
          status: 'published',
          version: 3,
          isDemo: 1,
        },
        {
          municipalityCode: '062031',
          title: '【デモ】耕作放棄地を使った体験農園',
          category: 'abandoned_farmland',
          background: '【デモ】地区の 2ha が耕作されていない。都市部の家族向けの体験農園にしたい。',
          skills: ['農作業', 'イベント運営'],
          hoursPerMonth: 8,
          remotePercent: 20,
          status: 'brushing_up',
          version: 2,
          isDemo: 1,
        },
        {
          municipalityCode: '062049',
          title: '【デモ】港町の伝統行事の担い手づくり',
          category: 'traditional_culture',
          background: '【デモ】祭りの担い手が高齢化している。',
          status: 'raised',
          isDemo: 1,
        },
      ])
      .returning();
    for (const issue of issueRows)
      for (let v = 1; v <= issue.version; v++)
        await tx.insert(regionalIssueVersions).values({
          issueId: issue.id,
          municipalityCode: issue.municipalityCode,
          version: v,
          snapshot: {
            title: issue.title,
            category: issue.category,
            status: ['raised', 'brushing_up', 'published'][v - 1] ?? issue.status,
          },
          changedFields: v === 1 ? ['title', 'category', 'background'] : ['status'],
          authorName: '【デモ】関係案内所 コーディネーター',
        });
    const published = issueRows[0]!;
    const [ec, cleanup] = await tx
      .insert(projects)
      .values([
        {
          municipalityCode: '062014',
          issueId: published.id,
          organizationId: org.id,
          title: '【デモ】商店街の EC サイト立ち上げ（副業）',
          summary: '【デモ】商店街の 10 店舗の商品をまとめて売る EC サイトを、店主と一緒に立ち上げます。',
          kind: 'side_job',
          theme: 'dx',
          seats: 3,
          filledCount: 2,
          periodStart: day(-60),
          periodEnd: day(120),
          hoursPerMonth: 10,
          remotePercent: 80,
          feeMinYen: 30000,
          feeMaxYen: 50000,
          requiredSkills: ['EC'],
          welcomeSkills: ['写真撮影', '事業計画'],
          questions: [{ id: 'q1', text: '関わりたい理由を教えてください', required: true }],
          status: 'published',
          publishedAt: new Date(now.getTime() - 60 * 86_400_000),
          isDemo: 1,
        },
        {
          municipalityCode: '062014',
          issueId: published.id,
          organizationId: org.id,
          title: '【デモ】空き店舗の片付けボランティア',
          summary: '【デモ】移動販売の拠点にする空き店舗を一日で片付けます。',
          kind: 'volunteering',
          theme: 'shopping_access',
          seats: 10,
          acceptance: 'first_come',
          periodStart: day(30),
          periodEnd: day(30),
          hoursPerMonth: 6,
          remotePercent: 0,
          status: 'published',
          publishedAt: new Date(now.getTime() - 10 * 86_400_000),
          isDemo: 1,
        },
      ])
      .returning();
    const [a, b, c] = demoPeople as [{ id: string }, { id: string }, { id: string }];
    const plan = [
      { person: a.id, steps: ['proposed'], offsets: [-5], holds: 0 },
      { person: b.id, steps: ['proposed', 'introduced', 'agreed'], offsets: [-30, -25, -20], holds: 1 },
      {
        person: c.id,
        steps: ['proposed', 'introduced', 'agreed', 'collaborating'],
        offsets: [-60, -55, -50, -45],
        holds: 1,
      },
    ];
    for (const m of plan) {
      const last = m.steps.length - 1;
      const [row] = await tx
        .insert(matches)
        .values({
          projectId: ec!.id,
          personId: m.person,
          municipalityCode: '062014',
          step: m.steps[last]!,
          stepOn: day(m.offsets[last]!),
          holdsSeat: m.holds,
          isDemo: 1,
        })
        .returning({ id: matches.id });
      await tx
        .insert(matchSteps)
        .values(
          m.steps.map((step, i) => ({ matchId: row!.id, personId: m.person, step, occurredOn: day(m.offsets[i]!) })),
        );
      if (m.steps[last] === 'collaborating') {
        await tx.insert(matchAccompaniments).values([
          {
            matchId: row!.id,
            personId: m.person,
            occurredOn: day(-40),
            kind: 'meeting',
            note: '【デモ】店主 3 名と役割分担を確認',
            nextStep: '商品撮影の日程を決める',
            nextDueOn: day(-30),
          },
          {
            matchId: row!.id,
            personId: m.person,
            occurredOn: day(-20),
            kind: 'site_visit',
            note: '【デモ】現地で商品撮影',
            nextStep: '試験公開',
            nextDueOn: day(10),
          },
        ]);
        await recordSourcedEngagements(tx, [
          {
            personId: m.person,
            municipalityCode: '062014',
            kind: 'side_job',
            occurredOn: day(m.offsets[last]!),
            source: 'match',
            sourceRef: row!.id,
            externalKey: `match:${row!.id}`,
            createdBy: null,
          },
        ]);
      }
    }
    await tx.insert(trainings).values({
      kind: 'training',
      heldOn: day(-14),
      topic: '【デモ】関係人口の受け入れ研修（地域の担い手向け）',
      municipalityCode: '062014',
      organizationIds: [org.id],
      attendees: 18,
      isDemo: 1,
    });
    await recordAudit(tx, systemContext(), {
      action: 'demo.seed',
      details: { issues: issueRows.length, projects: [ec, cleanup].length, matches: plan.length },
    });
  });
  return true;
}
