/**
 * The organization's sender identity over HTTP on both drivers, with mail delivered to a real SMTP
 * server: every staff member reads the settings, only the prefecture's admins change them (validated,
 * audited), and the next mail Kankei sends — a sign-up confirmation — comes from the new name and
 * address, with its Reply-To, its signature and the short name in the subject.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const SETTINGS = {
  organizationName: '【テスト】鶴岡ふるさとセンター',
  shortName: '鶴岡センター',
  senderAddress: 'ｎｏ-ｒｅｐｌｙ@Tsuruoka-Center.example',
  replyTo: 'soudan@tsuruoka-center.example',
  signature: '鶴岡ふるさとセンター\n電話 0235-00-0000',
  contact: 'soudan@tsuruoka-center.example',
};

describe.each(TEST_DRIVERS)('organization settings on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let municipal: Session;
  let center: Session;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, { smtpUrl: smtp.url, publicUrl: 'https://kankei.example.jp' });
    municipal = await t.staffSession('municipality_staff', '062031');
    center = await t.staffSession('center_staff');
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const signUp = async (email: string) => {
    const form = await t.app.inject({ method: 'GET', url: '/api/public/registration-form' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      payload: {
        email,
        name: '送信元 確認',
        municipalityCodes: ['062031'],
        consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
        formToken: form.json().formToken,
      },
    });
    expect(res.statusCode, res.body).toBe(202);
    return smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes(email));
  };

  it('shows every staff member the seed defaults before anything is stored, and mails with them', async () => {
    const res = await municipal.request({ method: 'GET', url: '/api/settings/organization' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      prefectureCode: '06',
      shortName: '山形県移住センター',
      senderAddress: 'no-reply@yamagata-center.example',
      isDefault: true,
    });
    expect(res.json().senderAddress).toMatch(/\.example$/);
    const mail = await signUp('default.sender@example.jp');
    expect(mail.subject).toBe('【山形県移住センター】ふるさとサポーター登録の確認');
    expect(mail.from?.value[0]).toEqual({
      name: '山形県移住・関係人口総合センター',
      address: 'no-reply@yamagata-center.example',
    });
    expect(mail.replyTo?.value[0]?.address).toBe('info@yamagata-center.example');
    expect(mail.text).toContain('\n-- \n山形県移住・関係人口総合センター');
  });

  it('lets only the prefecture’s admins change the settings', async () => {
    for (const s of [municipal, center]) {
      const res = await s.request({ method: 'PUT', url: '/api/settings/organization', payload: SETTINGS });
      expect(res.statusCode).toBe(403);
    }
    const res = await t.admin.request({ method: 'PUT', url: '/api/settings/organization', payload: SETTINGS });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      organizationName: SETTINGS.organizationName,
      shortName: '鶴岡センター',
      senderAddress: 'no-reply@tsuruoka-center.example',
      isDefault: false,
    });
    const audit = await t.database.db.execute(
      sql`select details from audit_events where action = 'organization_settings.update'`,
    );
    const rows = (audit as unknown as { rows: Array<{ details: { fields: string[] } }> }).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details.fields.sort()).toEqual(
      ['contact', 'organizationName', 'replyTo', 'senderAddress', 'shortName', 'signature'].sort(),
    );
  });

  it('refuses bad settings naming the field, in Japanese and English, and keeps the old ones', async () => {
    const bad = await t.admin.request({
      method: 'PUT',
      url: '/api/settings/organization',
      payload: { ...SETTINGS, senderAddress: 'not an address', shortName: '' },
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['senderAddress', 'shortName']);
    expect(bad.json().error.fields.senderAddress).toMatch(/送信元アドレス/);
    const en = await t.admin.request({
      method: 'PUT',
      url: '/api/settings/organization',
      headers: { 'accept-language': 'en' },
      payload: { ...SETTINGS, replyTo: 'nope' },
    });
    expect(en.json().error.fields.replyTo).toMatch(/reply-to address/);
    const now = await t.admin.request({ method: 'GET', url: '/api/settings/organization' });
    expect(now.json().shortName).toBe('鶴岡センター');
  });

  it('sends the next mail from the new identity: From, Reply-To, signature and the short name in the subject', async () => {
    const mail = await signUp('new.sender@example.jp');
    expect(mail.subject).toBe('【鶴岡センター】ふるさとサポーター登録の確認');
    expect(mail.subject).not.toContain('Kankei');
    expect(mail.from?.value[0]).toEqual({
      name: SETTINGS.organizationName,
      address: 'no-reply@tsuruoka-center.example',
    });
    expect(mail.replyTo?.value[0]?.address).toBe('soudan@tsuruoka-center.example');
    expect(mail.text).toContain('\n-- \n鶴岡ふるさとセンター\n電話 0235-00-0000');
  });

  it('drops the Reply-To when it is cleared', async () => {
    const res = await t.admin.request({
      method: 'PUT',
      url: '/api/settings/organization',
      payload: { ...SETTINGS, replyTo: null },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().replyTo).toBeNull();
    const mail = await signUp('no.reply.to@example.jp');
    expect(mail.replyTo).toBeUndefined();
  });
});
