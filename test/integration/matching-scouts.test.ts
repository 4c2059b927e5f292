/**
 * Scouting over HTTP on both drivers, with mails delivered to a real SMTP server: a coordinator
 * scouts two candidates, each gets one mail whose links open the scout and answer it; the answer
 * shows in the project's scout list, counts once (a second answer is refused), and 興味あり records
 * a 興味ある. Who cannot be scouted (no consent, consent withdrawn, out of scope) is refused by index
 * with nothing written or sent; another municipality's staff do not find the project.
 */
import type { ParsedMail } from 'mailparser';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents, people, personLinks, supporterProfiles } from '../../src/modules/people/index.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { searchKey } from '../../src/shared/normalize.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';
const PUBLIC_URL = 'https://kankei.example.jp';

describe.each(TEST_DRIVERS)('scouting on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let center: Session;
  let yamagataStaff: Session;
  let tsuruokaStaff: Session;
  let projectId: string;
  const ids: Record<string, string> = {};

  async function supporter(
    name: string,
    email: string,
    scouting: boolean[],
    links: string[] = [YAMAGATA],
    mailLocale: 'ja' | 'en' = 'ja',
  ) {
    const db = t.database.db;
    const fields = { name, kana: null, email, phone: null };
    const [row] = await db
      .insert(people)
      .values({ ...fields, ...derivedColumns(fields) })
      .returning({ id: people.id });
    const personId = row!.id;
    ids[name] = personId;
    await db.insert(supporterProfiles).values({
      personId,
      skills: ['デザイン'],
      skillKeys: [searchKey('デザイン')],
      involvement: ['side_job'],
      hoursPerMonth: 10,
      mailLocale,
    });
    for (const [i, granted] of scouting.entries())
      await db.insert(consents).values({
        personId,
        purpose: 'scouting',
        granted,
        source: 'self_service',
        recordedAt: new Date(Date.now() - (10 - i) * 60_000),
      });
    for (const code of links)
      await db.insert(personLinks).values({ personId, municipalityCode: code, kind: 'interest' });
  }

  const scoutRows = async () =>
    Number(
      (
        (await t.database.db.execute(sql`select count(*)::int as n from project_scouts`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows[0]!.n,
    );
  const linkOf = (mail: ParsedMail, answer: string) => {
    const link = (mail.text ?? '').match(new RegExp(`https?://\\S+/scouts/([A-Za-z0-9_-]+)\\?answer=${answer}`));
    expect(link, `the ${answer} link in the mail`).toBeTruthy();
    return { url: link![0], token: link![1]! };
  };

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, { smtpUrl: smtp.url, publicUrl: PUBLIC_URL });
    center = await t.staffSession('center_staff');
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    const partner = await t.staffSession('partner');
    const organizationId = (await partner.request({ method: 'GET', url: '/api/auth/session' })).json().user
      .organizationId as string;
    const created = await center.request({
      method: 'POST',
      url: '/api/projects',
      payload: {
        title: '【テスト】商店街のロゴを作る',
        kind: 'side_job',
        theme: 'dx',
        municipalityCode: YAMAGATA,
        organizationId,
        seats: 2,
        hoursPerMonth: 10,
        requiredSkills: ['デザイン'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    projectId = created.json().id;
    const published = await center.request({
      method: 'PATCH',
      url: `/api/projects/${projectId}`,
      payload: { status: 'published' },
    });
    expect(published.statusCode, published.body).toBe(200);
    await supporter('候補 一郎', 'ichiro.scout@example.jp', [true]);
    await supporter('候補 二葉', 'futaba.scout@example.jp', [false, true], [YAMAGATA], 'en');
    await supporter('未同意 三太', 'santa.scout@example.jp', []);
    await supporter('撤回 四季', 'shiki.scout@example.jp', [true, false]);
    await supporter('鶴岡 五郎', 'goro.scout@example.jp', [true], [TSURUOKA]);
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('refuses people who are not candidates by index, and sends nothing', async () => {
    const before = smtp.messages.length;
    const res = await center.request({
      method: 'POST',
      url: `/api/projects/${projectId}/scouts`,
      payload: {
        personIds: [ids['候補 一郎'], ids['未同意 三太'], ids['撤回 四季'], ids['候補 一郎']],
        message: 'ご関心があればぜひ。',
      },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['personIds.1', 'personIds.2', 'personIds.3']);
    expect(res.json().error.fields['personIds.1']).toMatch(/候補者ではありません/);
    expect(await scoutRows()).toBe(0);
    // Yamagata's staff cannot scout a Tsuruoka-only supporter (outside their people).
    const outside = await yamagataStaff.request({
      method: 'POST',
      url: `/api/projects/${projectId}/scouts`,
      payload: { personIds: [ids['鶴岡 五郎']], message: 'x' },
    });
    expect(Object.keys(outside.json().error.fields)).toEqual(['personIds.0']);
    // Another municipality's staff do not find the project at all.
    for (const method of ['GET', 'POST'] as const) {
      const foreign = await tsuruokaStaff.request({
        method,
        url: `/api/projects/${projectId}/scouts`,
        ...(method === 'POST' ? { payload: { personIds: [ids['鶴岡 五郎']], message: 'x' } } : {}),
      });
      expect(foreign.statusCode, `${method} by Tsuruoka staff`).toBe(404);
    }
    expect(await scoutRows()).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.length).toBe(before);
  });

  it('mails two candidates with working links; replies show as status, once, and 興味あり is a 興味ある', async () => {
    const message = 'デザインの経験を活かして、商店街のロゴづくりに関わってみませんか。\nオンライン中心です。';
    const sent = await yamagataStaff.request({
      method: 'POST',
      url: `/api/projects/${projectId}/scouts`,
      payload: { personIds: [ids['候補 一郎'], ids['候補 二葉']], message },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().items.map((s: { status: string }) => s.status)).toEqual(['sent', 'sent']);

    const first = await smtp.waitFor((m) => JSON.stringify(m.to ?? null).includes('ichiro.scout@example.jp'));
    const second = await smtp.waitFor((m) => JSON.stringify(m.to ?? null).includes('futaba.scout@example.jp'));
    for (const mail of [first, second]) {
      expect(mail.subject).toContain('【テスト】商店街のロゴを作る');
      expect(mail.text).toContain('オンライン中心です。');
      expect(mail.text).toContain(`${PUBLIC_URL}/projects/${projectId}`);
      expect(mail.text).toContain(`${PUBLIC_URL}/me`);
    }
    expect(first.text).toContain('候補 一郎 様');
    // Each in the supporter's mail language (that of their sign-up).
    expect(first.subject).toContain('お誘い');
    expect(second.subject).toContain('An invitation to the project');
    expect(second.text).toContain('Dear 候補 二葉,');
    // The token is kept only hashed.
    const { token } = linkOf(first, 'interested');
    expect(linkOf(first, 'declined').token).toBe(token);
    const stored = (await t.database.db.execute(sql`select reply_token_hash from project_scouts`)) as unknown as {
      rows: Array<{ reply_token_hash: string }>;
    };
    expect(stored.rows.map((r) => r.reply_token_hash)).not.toContain(token);

    const shown = await t.app.inject({ method: 'GET', url: `/api/public/scouts/${token}` });
    expect(shown.statusCode, shown.body).toBe(200);
    expect(shown.json()).toMatchObject({
      project: { id: projectId, title: '【テスト】商店街のロゴを作る', published: true },
      message,
      answer: null,
    });

    const interested = await t.app.inject({
      method: 'POST',
      url: `/api/public/scouts/${token}/reply`,
      payload: { answer: 'interested' },
    });
    expect(interested.statusCode, interested.body).toBe(200);
    expect(interested.json().answer).toBe('interested');
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/public/scouts/${token}/reply`,
      payload: { answer: 'declined' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');

    const declined = await t.app.inject({
      method: 'POST',
      url: `/api/public/scouts/${linkOf(second, 'declined').token}/reply`,
      payload: { answer: 'declined' },
    });
    expect(declined.statusCode).toBe(200);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/public/scouts/not-a-real-token-at-all/reply',
      payload: { answer: 'declined' },
    });
    expect(unknown.statusCode).toBe(404);

    const list = await center.request({ method: 'GET', url: `/api/projects/${projectId}/scouts` });
    expect(list.statusCode).toBe(200);
    const byPerson = Object.fromEntries(
      list.json().items.map((s: { person: { id: string }; status: string; sentBy: string }) => [s.person.id, s]),
    );
    expect(byPerson[ids['候補 一郎']!]).toMatchObject({ status: 'interested', sentBy: 'テスト municipality_staff' });
    expect(byPerson[ids['候補 二葉']!]).toMatchObject({ status: 'declined' });

    // 興味あり counts as the one-tap 興味ある: the applicants view counts it.
    const applicants = await center.request({ method: 'GET', url: `/api/projects/${projectId}/applications` });
    expect(applicants.json().interested).toBe(1);

    // Scouting the same person again for the project is refused by index.
    const twice = await center.request({
      method: 'POST',
      url: `/api/projects/${projectId}/scouts`,
      payload: { personIds: [ids['候補 一郎']], message: 'もう一度' },
    });
    expect(Object.keys(twice.json().error.fields)).toEqual(['personIds.0']);

    const audit = (await t.database.db.execute(
      sql`select action, count(*)::int as n from audit_events where action like 'project_scout.%' group by action order by action`,
    )) as unknown as { rows: Array<{ action: string; n: number }> };
    expect(audit.rows).toEqual([
      { action: 'project_scout.create', n: 2 },
      { action: 'project_scout.read', n: 2 },
      { action: 'project_scout.reply', n: 2 },
    ]);
  });
});
