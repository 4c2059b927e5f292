/**
 * Outgoing mail end to end with a real SMTP server: what is left of a mail once it is sent or its
 * person erased, delivery through a mail server outage, mail whose job was lost in a crash, a
 * burst of sign-ups, and the admins' view of mail that does not leave. On PostgreSQL the mail goes
 * through pg-boss, on PGlite through the in-process queue.
 */
import type { ParsedMail } from 'mailparser';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { purgeExpiredRegistrations } from '../../src/modules/registry/registry.service.js';
import { createInProcessQueue, createPgBossQueue } from '../../src/platform/jobs.js';
import { expireHeldMail } from '../../src/platform/mail/mail.service.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

type Row = Record<string, unknown>;

/** Short waits so an outage of a second is retried within the test (production: 30 s doubling to an hour). */
const QUICK_RETRIES = { retryFirstDelayMs: 200, retryMaxDelayMs: 400, sweepIntervalMs: 300 };

const tokenIn = (mail: ParsedMail, path: string) => {
  const m = (mail.text ?? '').match(new RegExp(`${path}\\?token=([A-Za-z0-9_-]+)`));
  if (!m) throw new Error(`no ${path} link in: ${mail.text}`);
  return m[1]!;
};
const sentTo = (address: string) => (m: ParsedMail) => JSON.stringify(m.to ?? '').includes(address);

describe.each(TEST_DRIVERS)('mail on %s', (driver) => {
  let t: TestApp;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await createTestApp(driver, {
      smtpUrl: smtp.url,
      publicUrl: 'https://kankei.example.jp',
      mailDelivery: QUICK_RETRIES,
    });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const rows = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: Row[] }).rows;
  /** Every outbound_mail row as one text (all columns), to search for a person's traces. */
  const mailText = async () => JSON.stringify(await rows(sql`select t.*::text as row from outbound_mail t`));
  const formToken = async () =>
    ((await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string })
      .formToken;
  const signUp = async (email: string, name: string, remoteAddress = '127.0.0.1') =>
    t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      remoteAddress,
      payload: {
        email,
        name,
        municipalityCodes: ['062014'],
        consents: { newsletter: true, shareWithMunicipalities: true, anonymousStatistics: false },
        formToken: await formToken(),
      },
    });
  /** Signs up, receives the confirmation over SMTP and confirms: the new person's id and supporter cookie. */
  const registeredSupporter = async (email: string, name: string, remoteAddress: string) => {
    expect((await signUp(email, name, remoteAddress)).statusCode).toBe(202);
    const mail = await smtp.waitFor((m) => sentTo(email)(m) && (m.text ?? '').includes('/register/confirm?token='));
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations/confirm',
      remoteAddress,
      payload: { token: tokenIn(mail, '/register/confirm') },
    });
    expect(confirmed.statusCode).toBe(200);
    const c = confirmed.cookies.find((x) => x.name === 'kankei_supporter')!;
    const cookie = `kankei_supporter=${c.value}`;
    const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } })).json();
    return { personId: me.person.id as string, cookie, csrfToken: me.csrfToken as string };
  };

  it('keeps no live link in a sent mail: the row keeps what was sent to whom, not the text', async () => {
    expect((await signUp('sent.row@example.jp', '送信 済子')).statusCode).toBe(202);
    const mail = await smtp.waitFor(
      (m) => sentTo('sent.row@example.jp')(m) && (m.text ?? '').includes('/register/confirm?token='),
    );
    const token = tokenIn(mail, '/register/confirm');
    await expect
      .poll(
        async () =>
          (await rows(sql`select status from outbound_mail where to_address = 'sent.row@example.jp'`)).map(
            (r) => r.status,
          ),
        { timeout: 10_000 },
      )
      .toEqual(['sent']);
    const [row] = await rows(
      sql`select kind, subject, text_body, html_body, attachments, sent_at from outbound_mail where to_address = 'sent.row@example.jp'`,
    );
    expect(row).toMatchObject({
      kind: 'registry.confirmation',
      subject: '【山形県移住センター】ふるさとサポーター登録の確認',
      text_body: null,
      html_body: null,
      attachments: null,
    });
    expect(row!.sent_at).not.toBeNull();
    expect(await mailText()).not.toContain(token);
    // The token was live all along: it is the mail that forgot it, not the token that died.
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations/confirm',
      payload: { token },
    });
    expect(confirmed.statusCode).toBe(200);
  });

  it('erases every mail to a supporter who deletes their registration, the sign-up confirmation included, and forgets their IP in the audit trail', async () => {
    const email = 'erase.me@example.jp';
    const name = '消去 希望子';
    const ip = '203.0.113.77';
    const s = await registeredSupporter(email, name, ip);
    // A sign-in link (a mail with the person's id) and a second, unconfirmed sign-up with the same address.
    await t.app.inject({ method: 'POST', url: '/api/public/sign-in', remoteAddress: ip, payload: { email } });
    const link = await smtp.waitFor((m) => sentTo(email)(m) && (m.text ?? '').includes('/me/sign-in?token='));
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/public/session',
          remoteAddress: ip,
          payload: { token: tokenIn(link, '/me/sign-in') },
        })
      ).statusCode,
    ).toBe(204);
    await t.app.inject({
      method: 'GET',
      url: '/api/me/export?format=json',
      remoteAddress: ip,
      headers: { cookie: s.cookie },
    });
    expect((await signUp(email, name, ip)).statusCode).toBe(202);
    expect(await mailText()).toContain(email);
    expect(
      (await rows(sql`select count(*)::int as n from audit_events where ip = ${ip}`))[0]!.n,
    ).toBeGreaterThanOrEqual(4);

    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/me',
      remoteAddress: ip,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
    });
    expect(res.statusCode).toBe(204);
    const left = await mailText();
    expect(left).not.toContain(email);
    expect(left).not.toContain(name);
    expect(left).not.toContain(s.personId);
    // The trail keeps what happened, by id, without where it came from.
    expect((await rows(sql`select count(*)::int as n from audit_events where ip = ${ip}`))[0]!.n).toBe(0);
    const trail = await rows(
      sql`select action, ip, user_agent from audit_events where person_id = ${s.personId} order by at`,
    );
    expect(trail.map((r) => r.action)).toEqual(
      expect.arrayContaining(['registration.confirm', 'supporter.sign_in', 'person.export', 'person.purge']),
    );
    for (const r of trail) expect(r).toMatchObject({ ip: null, user_agent: null });
  });

  it('erases the sign-up confirmation mail with the person when an admin purges them', async () => {
    const email = 'purged.by.staff@example.jp';
    const name = '抹消 対象子';
    const s = await registeredSupporter(email, name, '198.51.100.23');
    expect(await mailText()).toContain(email);
    const purge = await t.admin.request({ method: 'POST', url: `/api/people/${s.personId}/purge` });
    expect(purge.statusCode).toBe(200);
    const left = await mailText();
    expect(left).not.toContain(email);
    expect(left).not.toContain(name);
    expect((await rows(sql`select count(*)::int as n from audit_events where ip = '198.51.100.23'`))[0]!.n).toBe(0);
  });

  it('purges an expired sign-up with its confirmation mail and its IP in the audit trail', async () => {
    expect((await signUp('never.confirmed@example.jp', '未確認 放置子', '192.0.2.44')).statusCode).toBe(202);
    await smtp.waitFor(sentTo('never.confirmed@example.jp'));
    await t.database.db.execute(
      sql`update registrations set expires_at = now() - interval '1 minute' where email_key = 'never.confirmed@example.jp'`,
    );
    expect(await purgeExpiredRegistrations(t.database.db)).toBeGreaterThanOrEqual(1);
    const left = await mailText();
    expect(left).not.toContain('never.confirmed@example.jp');
    expect(left).not.toContain('未確認 放置子');
    expect((await rows(sql`select count(*)::int as n from audit_events where ip = '192.0.2.44'`))[0]!.n).toBe(0);
    expect(
      (
        await rows(sql`select count(*)::int as n from audit_events where action = 'registration.create' and ip is null`)
      )[0]!.n,
    ).toBeGreaterThanOrEqual(1);
  });

  it('delivers mail queued while the mail server is down once it is back, without a restart', async () => {
    await smtp.stop();
    try {
      expect((await signUp('outage@example.jp', '障害 待子')).statusCode).toBe(202);
      await expect
        .poll(
          async () =>
            (await rows(sql`select attempts from outbound_mail where to_address = 'outage@example.jp'`))[0]?.attempts,
          { timeout: 15_000 },
        )
        .toBeGreaterThanOrEqual(3);
      const [row] = await rows(
        sql`select status, last_error from outbound_mail where to_address = 'outage@example.jp'`,
      );
      expect(row!.status).toBe('queued');
      expect(row!.last_error).toBeTruthy();
      // A mail queued more than a day ago that fails once more is given up, keeping no body.
      await t.database.db.execute(
        sql`insert into outbound_mail (kind, to_address, subject, text_body, created_at) values ('registry.sign_in', 'too.late@example.jp', '件名', 'https://kankei.example.jp/me/sign-in?token=stale', now() - interval '25 hours')`,
      );
      await expect
        .poll(
          async () =>
            (await rows(sql`select status, text_body from outbound_mail where to_address = 'too.late@example.jp'`))[0],
          { timeout: 10_000 },
        )
        .toEqual({ status: 'failed', text_body: null });
    } finally {
      await smtp.start();
    }
    await smtp.waitFor(sentTo('outage@example.jp'), 20_000);
    await expect
      .poll(
        async () =>
          (await rows(sql`select status from outbound_mail where to_address = 'outage@example.jp'`))[0]?.status,
        { timeout: 10_000 },
      )
      .toBe('sent');
    expect(smtp.messages.filter(sentTo('too.late@example.jp'))).toHaveLength(0);
  });

  it('sends a burst of sign-up confirmations without making them wait on each other', async () => {
    const count = 100;
    const addresses = Array.from({ length: count }, (_, i) => `burst${i}@example.jp`);
    const answers = await Promise.all(addresses.map((a) => signUp(a, '一斉 登録')));
    expect(answers.map((r) => r.statusCode)).toEqual(addresses.map(() => 202));
    await Promise.all(addresses.map((a) => smtp.waitFor(sentTo(a), 50_000)));
  });

  it('shows admins the mail that could not be delivered or waits too long, and audits the look', async () => {
    await t.database.db.execute(
      sql`insert into outbound_mail (kind, to_address, subject, text_body, status, attempts, last_error, created_at, next_attempt_at)
          values ('events.ticket', 'bounced@example.jp', 'チケット', '本文', 'failed', 31, '550 no such user', now() - interval '2 days', now()),
                 ('registry.sign_in', 'waiting@example.jp', 'リンク', '本文', 'queued', 4, 'ECONNREFUSED', now() - interval '20 minutes', now() + interval '1 hour')`,
    );
    const res = await t.admin.request({ method: 'GET', url: '/api/mail/undelivered' });
    expect(res.statusCode).toBe(200);
    const { items } = res.json() as { items: Array<Row> };
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          to: 'bounced@example.jp',
          kind: 'events.ticket',
          status: 'failed',
          attempts: 31,
          lastError: '550 no such user',
        }),
        expect.objectContaining({
          to: 'waiting@example.jp',
          kind: 'registry.sign_in',
          status: 'queued',
          lastError: 'ECONNREFUSED',
        }),
      ]),
    );
    expect(JSON.stringify(items)).not.toContain('本文');
    const audit = (await t.admin.request({ method: 'GET', url: '/api/audit?action=mail.undelivered.read' })).json();
    expect(audit.items[0]).toMatchObject({ action: 'mail.undelivered.read', details: { count: items.length } });
    const staff = await t.staffSession('center_staff');
    expect((await staff.request({ method: 'GET', url: '/api/mail/undelivered' })).statusCode).toBe(403);
  });

  it('sends a mail whose job was lost between writing it and queueing it, when Kankei starts again', async () => {
    // Kankei stops; the row as queue() writes it, without its job: the process stopped in between.
    await t.app.close();
    await t.database.db.execute(
      sql`insert into outbound_mail (kind, to_address, subject, text_body) values ('registry.sign_in', 'lost.job@example.jp', '【Kankei】登録情報の確認用リンク', '失われたジョブのメール')`,
    );
    const restarted = await buildApp({
      database: t.database,
      webRoot: '/nonexistent',
      smtpUrl: smtp.url,
      publicUrl: 'https://kankei.example.jp',
      // A sweep far in the future: only the start itself can find the row.
      mailDelivery: { ...QUICK_RETRIES, sweepIntervalMs: 3_600_000 },
      jobs: t.database.url
        ? createPgBossQueue(t.database.url, { pollingIntervalSeconds: 0.5 })
        : createInProcessQueue({ retryDelayMs: () => 200 }),
    });
    try {
      await restarted.ready();
      const mail = await smtp.waitFor(sentTo('lost.job@example.jp'), 20_000);
      expect(mail.text).toContain('失われたジョブのメール');
    } finally {
      await restarted.close();
    }
  });
});

describe.each(TEST_DRIVERS)('mail held without a mail server on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver, { publicUrl: 'https://kankei.example.jp' });
  });
  afterAll(() => t?.close());

  const rows = async (query: ReturnType<typeof sql>) =>
    ((await t.database.db.execute(query)) as unknown as { rows: Row[] }).rows;
  const signUp = async (email: string) => {
    const formToken = (
      (await t.app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string }
    ).formToken;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations',
      payload: {
        email,
        name: '保留 確認',
        municipalityCodes: ['062014'],
        consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
        formToken,
      },
    });
    expect(res.statusCode).toBe(202);
    await t.app.jobs.drain();
  };

  it('holds the mail with its text for admins to read, lists it without text, and audits each read', async () => {
    await signUp('held.one@example.jp');
    const list = await t.admin.request({ method: 'GET', url: '/api/mail/held' });
    expect(list.statusCode, list.body).toBe(200);
    const item = (list.json().items as Array<{ id: string; to: string; kind: string }>).find(
      (m) => m.to === 'held.one@example.jp',
    )!;
    expect(item).toMatchObject({
      kind: 'registry.confirmation',
      subject: '【山形県移住センター】ふるさとサポーター登録の確認',
    });
    expect(JSON.stringify(list.json())).not.toContain('token=');

    const one = await t.admin.request({ method: 'GET', url: `/api/mail/held/${item.id}` });
    expect(one.statusCode).toBe(200);
    const link = (one.json().text as string).match(
      /https:\/\/kankei\.example\.jp\/register\/confirm\?token=([A-Za-z0-9_-]+)/,
    );
    expect(link, one.json().text).toBeTruthy();
    // The held link works: a demo without mail can still be walked through.
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/public/registrations/confirm',
      payload: { token: link![1] },
    });
    expect(confirmed.statusCode).toBe(200);

    const audits = await rows(
      sql`select action, entity_id from audit_events where action in ('mail.held.list', 'mail.held.read')`,
    );
    expect(audits.map((a) => a.action).sort()).toEqual(['mail.held.list', 'mail.held.read']);
    expect(audits.find((a) => a.action === 'mail.held.read')!.entity_id).toBe(item.id);
  });

  it('shows held mail to prefecture admins only', async () => {
    await signUp('held.two@example.jp');
    const [row] = await rows(sql`select id from outbound_mail where to_address = 'held.two@example.jp'`);
    for (const role of ['center_staff', 'municipality_staff', 'partner'] as const) {
      const session = await t.staffSession(role);
      expect((await session.request({ method: 'GET', url: '/api/mail/held' })).statusCode, role).toBe(403);
      expect((await session.request({ method: 'GET', url: `/api/mail/held/${row!.id}` })).statusCode, role).toBe(403);
    }
  });

  it('gives a held mail up after a week, keeping no text', async () => {
    await signUp('held.old@example.jp');
    await t.database.db.execute(
      sql`update outbound_mail set created_at = now() - interval '8 days' where to_address = 'held.old@example.jp'`,
    );
    expect(await expireHeldMail(t.database.db)).toBeGreaterThanOrEqual(1);
    const [row] = await rows(
      sql`select status, text_body, last_error from outbound_mail where to_address = 'held.old@example.jp'`,
    );
    expect(row).toMatchObject({ status: 'failed', text_body: null, last_error: 'not sent: SMTP_URL is not set' });
    const [mailId] = await rows(sql`select id from outbound_mail where to_address = 'held.old@example.jp'`);
    expect((await t.admin.request({ method: 'GET', url: `/api/mail/held/${mailId!.id}` })).statusCode).toBe(404);
  });
});
