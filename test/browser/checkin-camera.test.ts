/**
 * The check-in desk's camera where the browser has no BarcodeDetector (Chromium on Linux has none;
 * the test also removes it): the camera is a fake device playing a video of a ticket's QR code
 * (Chromium's --use-file-for-fake-video-capture, a Y4M file drawn here from the `qrcode` package's
 * modules), jsQR reads it from the frames, and the visitor is checked in. Then the attendance list
 * prints alone (print media: no menu, no other cards, no buttons) and downloads as CSV and .xlsx.
 * Skipped where no Chromium is installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ticketToken } from '../../src/modules/events/events.common';
import { todayInTokyo } from '../../src/shared/dates';
import { CHROMIUM, hasChromium, signInAsAdmin } from '../helpers/browser';
import { startTestServer } from '../helpers/server';

/** A Y4M video (4:2:0, two identical frames, looped by Chromium) of `text` as a QR code, black on white. */
function qrVideo(text: string, file: string): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const scale = 8;
  const quiet = 4;
  const side = (size + 2 * quiet) * scale;
  const width = side + (side % 2);
  const y = Buffer.alloc(width * width, 235);
  for (let row = 0; row < size; row++)
    for (let col = 0; col < size; col++) {
      if (!qr.modules.get(row, col)) continue;
      for (let dy = 0; dy < scale; dy++) {
        const offset = ((quiet + row) * scale + dy) * width + (quiet + col) * scale;
        y.fill(16, offset, offset + scale);
      }
    }
  const chroma = Buffer.alloc((width / 2) * (width / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma]);
  fs.writeFileSync(
    file,
    Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${width} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]),
  );
}

describe.skipIf(!hasChromium)(
  'the check-in desk without BarcodeDetector, and the attendance list on paper and as files',
  () => {
    let server: Awaited<ReturnType<typeof startTestServer>>;
    let browser: Browser;
    let eventId: string;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-qr-'));
    const video = path.join(dir, 'ticket.y4m');
    const TITLE = 'カメラ受付テスト セミナー';

    beforeAll(async () => {
      server = await startTestServer();
      const today = todayInTokyo();
      const admin = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: server.adminEmail, password: server.adminPassword }),
      });
      expect(admin.status).toBe(200);
      const cookie = admin.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      const { csrfToken } = (await (await fetch(`${server.url}/api/auth/session`, { headers: { cookie } })).json()) as {
        csrfToken: string;
      };
      const post = async (url: string, body: unknown) => {
        const res = await fetch(`${server.url}${url}`, {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(res.status, await res.clone().text()).toBe(201);
        return res.json() as Promise<Record<string, unknown>>;
      };
      const event = await post('/api/events', {
        kind: 'seminar',
        title: TITLE,
        startsAt: `${today}T00:00:00+09:00`,
        endsAt: `${today}T23:59:00+09:00`,
        venue: 'テスト会場',
        capacity: 20,
      });
      eventId = event.id as string;
      const person = await post('/api/people', { name: 'カメラ 花子', kana: 'カメラ ハナコ' });
      await post('/api/people', { name: '来ない 次郎', kana: 'コナイ ジロウ' }).then((p) =>
        post(`/api/events/${eventId}/registrations`, { personId: p.id }),
      );
      const registered = (await post(`/api/events/${eventId}/registrations`, { personId: person.id })) as {
        registration: { id: string };
      };
      qrVideo(await ticketToken(server.db, registered.registration.id), video);
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--no-first-run',
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          `--use-file-for-fake-video-capture=${video}`,
        ],
      });
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await server?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    async function signIn(page: Page) {
      await signInAsAdmin(page, server);
    }

    test('the camera reads a ticket with jsQR and checks the visitor in', async () => {
      const context = await browser.newContext({ locale: 'ja-JP', viewport: { width: 1024, height: 768 } });
      await context.grantPermissions(['camera'], { origin: server.url });
      // As in Firefox or Chrome on Windows: no BarcodeDetector at all.
      await context.addInitScript(() => {
        delete (globalThis as { BarcodeDetector?: unknown }).BarcodeDetector;
      });
      const page = await context.newPage();
      try {
        await signIn(page);
        await page.goto(`${server.url}/manage/events/${eventId}/checkin`);
        await page.getByRole('heading', { level: 1, name: `受付：${TITLE}` }).waitFor({ timeout: 15_000 });
        expect(await page.evaluate(() => 'BarcodeDetector' in globalThis)).toBe(false);
        await page.getByRole('button', { name: 'カメラで読み取る' }).click();
        const feedback = page.locator('.checkin-feedback');
        await feedback.getByText('受付しました').waitFor({ timeout: 20_000 });
        await feedback.getByText('カメラ 花子 さん').waitFor();
        await page.getByText('受付済み 1人 / 申込 2人').waitFor();
      } finally {
        await context.close();
      }
    });

    test('the attendance list prints alone and downloads as CSV and .xlsx', async () => {
      const context = await browser.newContext({
        locale: 'ja-JP',
        viewport: { width: 1366, height: 900 },
        acceptDownloads: true,
      });
      // The print dialog is replaced by a look at the page as the printer gets it.
      await context.addInitScript(() => {
        window.print = () => {
          const shown = (el: Element | null) => {
            if (!el) return false;
            for (let e: Element | null = el; e; e = e.parentElement)
              if (getComputedStyle(e).display === 'none') return false;
            return true;
          };
          const list = document.querySelector('.print-attendance table');
          (window as unknown as { printed: unknown }).printed = {
            nav: shown(document.querySelector('nav')),
            header: shown(document.querySelector('.app-header')),
            h1: shown(document.querySelector('h1')),
            buttons: [...document.querySelectorAll('main button, main a.button')].filter(shown).length,
            otherCards: [...document.querySelectorAll('main .card:not(.print-attendance)')].filter(shown).length,
            list: shown(list),
            rows: list ? [...list.querySelectorAll('tbody tr')].filter(shown).length : 0,
            title: [...document.querySelectorAll('.print-only')].filter(shown).map((e) => e.textContent),
            cut: list ? list.scrollWidth > (list.parentElement?.clientWidth ?? 0) + 1 : true,
          };
        };
      });
      const page = await context.newPage();
      try {
        await signIn(page);
        await page.goto(`${server.url}/manage/events/${eventId}`);
        const list = page.locator('section.print-attendance');
        await list.waitFor({ timeout: 15_000 });
        const print = list.locator('button', { hasText: '名簿を印刷' });
        await print.waitFor();
        // Pressed on the screen; looked at as printed (print media hides the button itself).
        await page.emulateMedia({ media: 'print' });
        await print.evaluate((button: HTMLElement) => button.click());
        const printed = await page.evaluate(() => (window as unknown as { printed: Record<string, unknown> }).printed);
        expect(printed).toMatchObject({
          nav: false,
          header: false,
          h1: false,
          buttons: 0,
          otherCards: 0,
          list: true,
          rows: 2,
          cut: false,
        });
        expect(String((printed.title as string[])[0])).toContain(TITLE);
        // After printing the page is whole again.
        expect(await page.evaluate(() => document.body.dataset.print ?? null)).toBeNull();
        await page.emulateMedia({ media: 'screen' });

        const [csv] = await Promise.all([
          page.waitForEvent('download'),
          list.getByRole('link', { name: 'CSV' }).click(),
        ]);
        expect(csv.suggestedFilename()).toMatch(/\.csv$/);
        const text = fs.readFileSync((await csv.path())!, 'utf8');
        expect(text).toContain('カメラ 花子');
        expect(text).toContain('来ない 次郎');
        const [xlsx] = await Promise.all([
          page.waitForEvent('download'),
          list.getByRole('link', { name: 'Excel（.xlsx）' }).click(),
        ]);
        expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
        expect(
          fs
            .readFileSync((await xlsx.path())!)
            .subarray(0, 2)
            .toString(),
        ).toBe('PK');
      } finally {
        await context.close();
      }
    });
  },
);
