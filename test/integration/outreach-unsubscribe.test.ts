/**
 * One-click unsubscribe (RFC 8058) over HTTP on both drivers, with mail delivered to a real SMTP
 * server: a scout mail (sent on the `scouting` consent) carries List-Unsubscribe with the one-click
 * URL and a mailto:, List-Unsubscribe-Post, and a visible link; a GET on the link only leads to the
 * page; the one-click POST (a form body, as mail providers send it) withdraws the consent with a
 * dated row and an audit entry, answers 200 again without writing twice, and the next scout to the
 * person is refused and not sent. Forged or altered tokens open nothing.
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
const PUBLIC_URL = 'https://kankei.example.jp';

describe.each(TEST_DRIVERS)('one-click unsubscribe on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let center: Session;
  let organizationId: string;
  let personId: string;
  let mail: ParsedMail;
  let oneClickUrl: string;

  const rows = async <T>(query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;

  async function publishedProject(title: string): Promise<string> {
    const created = await center.request({
      method: 'POST',
      url: '/api/projects',
      payload: {
        title,
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
    const id = created.json().id as string;
    const published = await center.request({
      method: 'PATCH',
      url: `/api/projects/${id}`,
      payload: { status: 'published' },
    });
    expect(published.statusCode, published.body).toBe(200);
    return id;
  }
  const scout = (projectId: string) =>
    center.request({
      method: 'POST',
      url: `/api/projects/${projectId}/scouts`,
      payload: { personIds: [personId], message: 'ぜひご検討ください。' },
    });
  const header = (m: ParsedMail, name: string) =>
    m.headerLines
      .find((h) => h.key === name)
      ?.line.replace(/^[^:]+:\s*/, '')
      .replace(/\r?\n\s+/g, ' ');

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, { smtpUrl: smtp.url, publicUrl: PUBLIC_URL });
    center = await t.staffSession('center_staff');
    const partner = await t.staffSession('partner');
    organizationId = (await partner.request({ method: 'GET', url: '/api/auth/session' })).json().user.organizationId;
    const db = t.database.db;
    const fields = { name: '配信 停止子', kana: null, email: 'stop.me@example.jp', phone: null };
    const [row] = await db
      .insert(people)
      .values({ ...fields, ...derivedColumns(fields) })
      .returning({ id: people.id });
    personId = row!.id;
    await db.insert(supporterProfiles).values({
      personId,
      skills: ['デザイン'],
      skillKeys: [searchKey('デザイン')],
      involvement: ['side_job'],
      hoursPerMonth: 10,
    });
    await db.insert(consents).values({
      personId,
      purpose: 'scouting',
      granted: true,
      source: 'self_service',
      recordedAt: new Date(Date.now() - 60_000),
    });
    await db.insert(personLinks).values({ personId, municipalityCode: YAMAGATA, kind: 'interest' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('puts List-Unsubscribe (one-click URL and mailto:), List-Unsubscribe-Post and a visible link in the scout mail', async () => {
    const res = await scout(await publishedProject('【テスト】ロゴを作る'));
    expect(res.statusCode, res.body).toBe(201);
    mail = await smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes('stop.me@example.jp'));
    const list = header(mail, 'list-unsubscribe');
    expect(list).toMatch(
      /^<https:\/\/kankei\.example\.jp\/api\/public\/unsubscribe\?token=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+>, <mailto:info@yamagata-center\.example\?subject=unsubscribe%20scouting>$/,
    );
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    oneClickUrl = list!.match(/^<([^>]+)>/)![1]!;
    expect(mail.text).toContain(oneClickUrl);
  });

  it('leads a GET on the link to the page without withdrawing anything, and the page reads the consent as given', async () => {
    const url = oneClickUrl.replace(PUBLIC_URL, '');
    const get = await t.app.inject({ method: 'GET', url });
    expect(get.statusCode).toBe(303);
    expect(get.headers.location).toBe(`/unsubscribe?token=${new URL(oneClickUrl).searchParams.get('token')}`);
    const info = await t.app.inject({ method: 'GET', url: url.replace('/unsubscribe?', '/unsubscribe/info?') });
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toMatchObject({
      purpose: 'scouting',
      subscribed: true,
      organization: { name: '山形県移住・関係人口総合センター' },
    });
    const withdrawn = await rows(sql`select 1 from consents where person_id = ${personId} and granted = false`);
    expect(withdrawn).toHaveLength(0);
  });

  it('refuses forged, altered and another purpose’s tokens with 404, writing nothing', async () => {
    const token = new URL(oneClickUrl).searchParams.get('token')!;
    const [value, signature] = token.split('.') as [string, string];
    const otherPurpose = Buffer.from(`${personId}:newsletter`).toString('base64url');
    for (const bad of [
      `${otherPurpose}.${signature}`,
      `${value}.${signature.slice(0, -2)}xx`,
      `${value}x.${signature}`,
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/public/unsubscribe?token=${bad}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(res.statusCode, bad).toBe(404);
    }
    expect(await rows(sql`select 1 from consents where person_id = ${personId} and granted = false`)).toHaveLength(0);
  });

  it('withdraws the consent on the one-click POST with a dated row and an audit entry, and answers 200 again without a second row', async () => {
    const url = oneClickUrl.replace(PUBLIC_URL, '');
    const post = () =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
    const first = await post();
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ purpose: 'scouting', subscribed: false });
    const withdrawn = await rows<{ source: string; recorded_at: unknown }>(
      sql`select source, recorded_at from consents where person_id = ${personId} and purpose = 'scouting' and granted = false`,
    );
    expect(withdrawn).toHaveLength(1);
    expect(withdrawn[0]!.source).toBe('unsubscribe_link');
    expect(withdrawn[0]!.recorded_at).toBeTruthy();
    const audit = await rows<{ via: string; details: { via: string } }>(
      sql`select via, details from audit_events where action = 'consent.change' and person_id = ${personId}`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ via: 'public', details: { via: 'unsubscribe_link' } });

    const again = await post();
    expect(again.statusCode).toBe(200);
    expect(
      await rows(
        sql`select 1 from consents where person_id = ${personId} and purpose = 'scouting' and granted = false`,
      ),
    ).toHaveLength(1);
    const info = await t.app.inject({ method: 'GET', url: url.replace('/unsubscribe?', '/unsubscribe/info?') });
    expect(info.json().subscribed).toBe(false);
  });

  it('sends the person no further scout: the next one is refused and no mail leaves', async () => {
    const before = smtp.messages.length;
    const res = await scout(await publishedProject('【テスト】祭りの記録'));
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(['personIds.0']);
    await t.app.jobs.drain();
    expect(smtp.messages.length).toBe(before);
    expect(await rows(sql`select 1 from outbound_mail where person_id = ${personId}`)).toHaveLength(1);
  });

  it('takes the page’s JSON body as well', async () => {
    await t.database.db
      .insert(consents)
      .values({ personId, purpose: 'scouting', granted: true, source: 'self_service' });
    const res = await t.app.inject({
      method: 'POST',
      url: oneClickUrl.replace(PUBLIC_URL, ''),
      payload: { 'List-Unsubscribe': 'One-Click' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().subscribed).toBe(false);
  });
});
