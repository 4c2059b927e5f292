/**
 * Notifications over HTTP on both drivers, with mail delivered to a real SMTP server: a referral
 * addressed to a partner organization mails its active partner accounts — from the organization's
 * sender identity, naming no one — and nobody else; a referral to a municipality mails nobody.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

describe.each(TEST_DRIVERS)('referral notices on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  let center: Session;
  let partner: Session;
  let organizationId: string;
  let partnerEmail: string;
  let personId: string;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, { smtpUrl: smtp.url, publicUrl: 'https://kankei.example.jp' });
    center = await t.staffSession('center_staff');
    partner = await t.staffSession('partner');
    const session = (await partner.request({ method: 'GET', url: '/api/auth/session' })).json().user;
    organizationId = session.organizationId;
    partnerEmail = session.email;
    const created = await center.request({
      method: 'POST',
      url: '/api/people',
      payload: personPayload({ name: '紹介 される人', email: 'referred.person@example.jp' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    personId = created.json().id;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('mails the receiving organization’s partner accounts, from the sender identity, without the person’s data', async () => {
    const res = await center.request({
      method: 'POST',
      url: '/api/referrals',
      payload: { personId, toOrganizationId: organizationId, area: 'housing', message: '空き家の相談です' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const mail = await smtp.waitFor((m) => JSON.stringify(m.to ?? '').includes(partnerEmail));
    expect(mail.subject).toBe('【山形県移住センター】紹介が届きました');
    expect(mail.from?.value[0]?.address).toBe('no-reply@yamagata-center.example');
    expect(mail.text).toContain('https://kankei.example.jp/referrals');
    expect(mail.text).not.toContain('紹介 される人');
    expect(mail.text).not.toContain('referred.person@example.jp');
    expect(mail.text).not.toContain('空き家の相談です');
  });

  it('mails nobody for a referral to a municipality', async () => {
    await t.app.jobs.drain();
    const before = smtp.messages.length;
    const res = await center.request({
      method: 'POST',
      url: '/api/referrals',
      payload: { personId, toMunicipalityCode: '062014', area: 'jobs' },
    });
    expect(res.statusCode, res.body).toBe(201);
    await t.app.jobs.drain();
    expect(smtp.messages.length).toBe(before);
  });
});
