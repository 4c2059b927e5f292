/**
 * Links that leave Kankei — confirmation and sign-in links in mails, ticket links, card QR codes —
 * come from configuration only: PUBLIC_URL when set, otherwise the address Kankei listens on.
 * Whatever Host or X-Forwarded-* headers a request carries, a mailed token never points at the
 * sender's host. Real HTTP (the headers as a client sends them) and a real SMTP server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { startTestSmtp, type TestSmtp } from '../helpers/smtp.js';

const FORGED = {
  host: 'evil.example',
  'x-forwarded-host': 'evil2.example',
  'x-forwarded-proto': 'https',
  forwarded: 'host=evil3.example;proto=https',
};

function send(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown; cookies: string[] }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        headers: {
          ...FORGED,
          ...headers,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            json: text ? JSON.parse(text) : null,
            cookies: res.headers['set-cookie'] ?? [],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const linksIn = (mail: ParsedMail) => [...(mail.text ?? '').matchAll(/https?:\/\/[^\s)>\]]+/g)].map((m) => m[0]);

describe.each(TEST_DRIVERS)('links in mails and cards on %s', (driver) => {
  for (const configured of [null, 'https://kankei.example.jp'] as const) {
    describe(configured ? 'with PUBLIC_URL set' : 'without PUBLIC_URL', () => {
      let t: TestApp;
      let smtp: TestSmtp;
      let port: number;
      let origin: string;
      const email = `links-${configured ? 'set' : 'unset'}@example.jp`;

      beforeAll(async () => {
        smtp = await startTestSmtp();
        t = await createTestApp(driver, { smtpUrl: smtp.url, publicUrl: configured });
        await t.app.listen({ host: '127.0.0.1', port: 0 });
        port = (t.app.server.address() as AddressInfo).port;
        origin = configured ?? `http://127.0.0.1:${port}`;
        const settings = await t.admin.request({ method: 'GET', url: '/api/settings/organization' });
        expect(settings.statusCode).toBe(200);
        signatureLinks = (settings.json() as { signature: string }).signature.match(/https?:\/\/\S+/g) ?? [];
        expect(signatureLinks.length).toBeGreaterThan(0);
      });
      /** Links an admin wrote into the sender's signature (the organization's own site): not built by Kankei. */
      let signatureLinks: string[] = [];
      afterAll(async () => {
        await t?.close();
        await smtp?.close();
      });

      const formToken = async () =>
        ((await send(port, 'GET', '/api/public/registration-form')).json as { formToken: string }).formToken;
      const expectOnlyOurLinks = (mail: ParsedMail) => {
        const links = linksIn(mail);
        expect(links.length, mail.text).toBeGreaterThan(0);
        const built = links.filter(
          (l) =>
            !l.startsWith('https://www.') &&
            !l.includes('example.jp/') &&
            !signatureLinks.includes(l.replace(/\/$/, '')),
        );
        for (const link of built) expect(link, mail.text).toMatch(new RegExp(`^${origin.replace(/[.]/g, '\\.')}/`));
        expect(mail.text ?? '').not.toMatch(/evil/);
        expect(mail.html || '').not.toMatch(/evil/);
      };

      it('mails the sign-up confirmation, sign-in link and card with the configured origin, whatever the Host header says', async () => {
        const signUp = await send(port, 'POST', '/api/public/registrations', {
          email,
          name: '宛先 確認',
          municipalityCodes: ['062014'],
          consents: { newsletter: false, shareWithMunicipalities: true, anonymousStatistics: false },
          formToken: await formToken(),
        });
        expect(signUp.status, JSON.stringify(signUp.json)).toBe(202);
        const confirmation = await smtp.waitFor(
          (m) => JSON.stringify(m.to ?? '').includes(email) && (m.text ?? '').includes('/register/confirm?token='),
        );
        expectOnlyOurLinks(confirmation);
        const token = (confirmation.text ?? '').match(/token=([A-Za-z0-9_-]+)/)![1]!;

        const confirmed = await send(port, 'POST', '/api/public/registrations/confirm', { token });
        expect(confirmed.status).toBe(200);
        const cookie = confirmed.cookies.map((c) => c.split(';')[0]!).find((c) => c.startsWith('kankei_supporter='))!;
        const card = await send(port, 'GET', '/api/me/card', undefined, { cookie });
        expect(card.status, JSON.stringify(card.json)).toBe(200);
        expect((card.json as { verifyUrl: string }).verifyUrl.startsWith(`${origin}/verify#`)).toBe(true);

        const signIn = await send(port, 'POST', '/api/public/sign-in', { email });
        expect(signIn.status).toBe(202);
        const signInMail = await smtp.waitFor(
          (m) => JSON.stringify(m.to ?? '').includes(email) && (m.text ?? '').includes('/me/sign-in?token='),
        );
        expectOnlyOurLinks(signInMail);
      });

      it('mails event tickets with the configured origin, whatever the Host header says', async () => {
        const event = await t.admin.request({
          method: 'POST',
          url: '/api/events',
          payload: {
            kind: 'fair',
            title: 'リンク確認フェア（テスト）',
            startsAt: '2027-03-06T11:00:00+09:00',
            endsAt: '2027-03-06T17:00:00+09:00',
            venue: 'テスト会場',
            capacity: 10,
          },
        });
        expect(event.statusCode, event.body).toBe(201);
        const visitor = `ticket-${email}`;
        const registration = await send(port, 'POST', `/api/public/events/${event.json().id}/registrations`, {
          name: '来場 確認',
          kana: 'らいじょう かくにん',
          prefecture: '東京',
          city: '世田谷区',
          email: visitor,
          municipalityCodes: ['062014'],
          consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
          formToken: await formToken(),
        });
        expect(registration.status, JSON.stringify(registration.json)).toBe(201);
        const ticket = await smtp.waitFor(
          (m) => JSON.stringify(m.to ?? '').includes(visitor) && (m.text ?? '').includes('/tickets/'),
        );
        expectOnlyOurLinks(ticket);
      });
    });
  }
});
