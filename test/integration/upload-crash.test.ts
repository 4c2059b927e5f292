/**
 * A crash mid-upload must not leave a donor file (names, emails, phones, addresses) behind: the
 * real `kankei serve` process is killed with SIGKILL while a donor file is arriving, which leaves
 * the partial file in KANKEI_DATA_DIR/uploads (no code runs on SIGKILL), and the next start on the
 * same data folder sweeps it before serving.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { donor, encodeCsv, PLATFORM_HEADER } from '../fixtures/donations/donors.js';
import { startServeProcess } from '../helpers/serve-process.js';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-crash-'));
const uploadDir = path.join(dataDir, 'uploads');
const ADMIN = { email: 'crash-test@kankei.example', password: 'crash-test-password' };

const startServer = () =>
  startServeProcess({
    KANKEI_DATA_DIR: dataDir,
    KANKEI_ADMIN_EMAIL: ADMIN.email,
    KANKEI_ADMIN_PASSWORD: ADMIN.password,
    KANKEI_DEMO_DATA: '0',
  });

const exited = (child: ChildProcess) =>
  new Promise<NodeJS.Signals | null>((resolve) =>
    child.exitCode !== null || child.signalCode ? resolve(child.signalCode) : child.on('exit', (_c, s) => resolve(s)),
  );

const uploadFiles = () =>
  fs.existsSync(uploadDir) ? fs.readdirSync(uploadDir).filter((n) => n.startsWith('kankei-upload-')) : [];

async function eventually(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('kankei serve killed during an upload', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves the partial donor file in its own upload folder, and the next start sweeps it', async () => {
    const first = await startServer();
    children.push(first.child);
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ADMIN),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    // A donor file that keeps arriving: part of the body is sent, the rest never comes.
    const rows: string[][] = [[...PLATFORM_HEADER]];
    for (let i = 0; i < 5000; i++) {
      const d = donor(i, 'crash');
      rows.push([`R-${i}`, '2024/4/1', '10,000', d.name, d.kana, d.postal, d.address, d.phone, d.email]);
    }
    const boundary = '----kankeicrash';
    const { port } = new URL(first.url);
    const req = http.request({
      host: '127.0.0.1',
      port: Number(port),
      method: 'POST',
      path: '/api/imports/donations',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie, 'x-csrf-token': csrfToken },
    });
    req.on('error', () => {});
    req.write(`--${boundary}\r\ncontent-disposition: form-data; name="municipalityCode"\r\n\r\n062014\r\n`);
    req.write(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="donors.csv"\r\ncontent-type: text/csv\r\n\r\n`,
    );
    req.write(encodeCsv(rows, 'utf-8'));

    await eventually(
      () => uploadFiles().some((n) => fs.statSync(path.join(uploadDir, n)).size > 0),
      'the upload file to be written',
    );
    const [partial] = uploadFiles();
    expect(fs.statSync(path.join(uploadDir, partial!)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(uploadDir).mode & 0o777).toBe(0o700);

    first.child.kill('SIGKILL');
    expect(await exited(first.child)).toBe('SIGKILL');
    req.destroy();
    // The crash window is real: nothing removed the partial file.
    expect(uploadFiles()).toEqual([partial]);
    expect(fs.readFileSync(path.join(uploadDir, partial!), 'utf8')).toContain(donor(0, 'crash').email);

    const second = await startServer();
    children.push(second.child);
    try {
      // The banner comes after listening, and the sweep runs before that (onReady).
      expect(uploadFiles()).toEqual([]);
      expect((await fetch(`${second.url}/api/health`)).status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  }, 240_000);
});
