/**
 * The real command: `kankei serve` on an embedded data folder starts, seeds, serves, shuts down
 * cleanly on SIGTERM, and keeps its data across a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '../helpers/db.js';
import { startServeProcess } from '../helpers/serve-process.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-serve-'));
const ADMIN = { email: 'serve-test@kankei.example', password: 'serve-test-password' };

const startServer = (extraEnv: Record<string, string> = {}) =>
  startServeProcess({
    KANKEI_DATA_DIR: dataDir,
    KANKEI_ADMIN_EMAIL: ADMIN.email,
    KANKEI_ADMIN_PASSWORD: ADMIN.password,
    ...extraEnv,
  });

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

async function login(url: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

describe('kankei serve', () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('starts on a fresh data folder, prints the URL and login, and keeps data across a clean restart', async () => {
    const first = await startServer();
    expect(first.output()).toContain(`Admin login: ${ADMIN.email}`);
    expect(first.output()).toContain('Municipalities: 35');
    expect(first.output()).toContain('【デモ】');
    // The demo password is generated for this database and printed once.
    const demoPassword = first.output().match(/Demo staff password: (\S+)\s+\(generated/)?.[1];
    expect(demoPassword).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const demoLogin = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'center@demo.kankei.example', password: demoPassword }),
    });
    expect(demoLogin.status).toBe(200);
    const health = await fetch(`${first.url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok', db: 'pglite' });
    const municipalities = (await (await fetch(`${first.url}/api/municipalities`)).json()) as unknown[];
    expect(municipalities).toHaveLength(35);

    const s = await login(first.url);
    const created = await fetch(`${first.url}/api/people`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrfToken },
      body: JSON.stringify({
        name: '再起動 確認',
        kana: 'サイキドウ カクニン',
        links: [{ municipalityCode: '062057', kind: 'interest' }],
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(await stop(first.child)).toBe(0);

    // Not a terminal (a pipe, a log collector): the log stays one JSON object per line.
    const second = await startServer({ LOG_LEVEL: 'info' });
    try {
      await fetch(`${second.url}/api/health`);
      await expect.poll(() => second.output(), { timeout: 10_000 }).toMatch(/"msg":"request completed"/);
      expect(second.output()).not.toMatch(/GET \/api\/health 200/);
      expect(second.output()).toContain('Demo staff password: shown at the first start');
      expect(second.output()).not.toContain(demoPassword!);
      const s2 = await login(second.url);
      const read = await fetch(`${second.url}/api/people/${id}`, { headers: { cookie: s2.cookie } });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { name: string }).name).toBe('再起動 確認');
      // Demo data is seeded once, not again on restart.
      const demo = await fetch(`${second.url}/api/people?q=demo0001`, { headers: { cookie: s2.cookie } });
      expect(((await demo.json()) as { total: number }).total).toBe(1);
    } finally {
      expect(await stop(second.child)).toBe(0);
    }
    // Two cold starts with demo data: minutes on a busy two-core machine.
  }, 420_000);

  it('runs migrate, seed and create-admin from the command line', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-cli-'));
    const run = (...args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['bin/kankei.mjs', ...args], {
          cwd: ROOT,
          env: { ...process.env, KANKEI_DATA_DIR: dir, KANKEI_DEMO_DATA: '0', DATABASE_URL: '', LOG_LEVEL: 'warn' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    try {
      expect(await run('migrate')).toMatchObject({
        code: 0,
        out: expect.stringContaining('Migrations applied (pglite)'),
      });
      expect(await run('seed')).toMatchObject({ code: 0, out: expect.stringContaining('Seeded 35 municipalities') });
      const created = await run(
        'create-admin',
        '--email',
        'cli-admin@kankei.example',
        '--password',
        'cli-admin-password',
      );
      expect(created).toMatchObject({ code: 0, out: expect.stringContaining('created') });
      const reset = await run(
        'create-admin',
        '--email',
        'cli-admin@kankei.example',
        '--password',
        'another-password-1',
      );
      expect(reset).toMatchObject({ code: 0, out: expect.stringContaining('reset') });
      const short = await run('create-admin', '--email', 'x@kankei.example', '--password', 'short');
      expect(short.code).toBe(1);
      expect((await run('frobnicate')).out).toContain('Unknown command');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Six cold starts of the CLI (tsx + PGlite each): slow on a busy two-core machine.
  }, 420_000);

  it("in a terminal reads one line per request and prints held mails' links; refuses a second server on the folder; without a command prints help", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-console-'));
    const env = { KANKEI_DATA_DIR: dir, KANKEI_DEMO_DATA: '0', LOG_LEVEL: 'info' };
    const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: '', PORT: '0', ...env, ...extraEnv },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
        child.on('exit', (code) => resolve({ code, out }));
      });
    const requestLogged = async (server: { url: string; output: () => string }, pattern: RegExp) => {
      await fetch(`${server.url}/api/health`);
      await expect.poll(() => server.output(), { timeout: 10_000 }).toMatch(pattern);
    };
    try {
      // In a terminal (LOG_FORMAT=pretty is what a terminal gets by default): one readable line per
      // request. (Piped, the log stays JSON: the restart in the first test reads it.)
      const shown = await startServeProcess({ ...env, LOG_FORMAT: 'pretty' });
      try {
        await requestLogged(shown, /GET \/api\/health 200 \d+ms/);
        expect(shown.output()).not.toContain('"msg"');
        expect(shown.output()).not.toContain('incoming request');
        expect(shown.output()).toContain('Mail: not sent (SMTP_URL is not set)');

        // Without SMTP_URL, a sign-up's confirmation link shows on the console, so /register can be finished.
        const { formToken } = (await (await fetch(`${shown.url}/api/public/registration-form`)).json()) as {
          formToken: string;
        };
        await new Promise((r) => setTimeout(r, 3100)); // the form's minimum fill time
        const signUp = await fetch(`${shown.url}/api/public/registrations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            email: 'console.newcomer@example.jp',
            name: '端末 試子',
            municipalityCodes: ['062014'],
            consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
            formToken,
          }),
        });
        expect(signUp.status).toBe(202);
        await expect
          .poll(() => shown.output(), { timeout: 20_000 })
          .toMatch(/Mail held, not sent \(SMTP_URL is not set\) — to console\.newcomer@example\.jp/);
        const link = shown.output().match(/http:\/\/\S+\/register\/confirm\?token=[A-Za-z0-9_-]+/)?.[0];
        expect(link, shown.output()).toBeTruthy();
        const confirmed = await fetch(`${shown.url}/api/public/registrations/confirm`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ token: new URL(link!).searchParams.get('token') }),
        });
        expect(confirmed.status).toBe(200);

        // A second server on the same embedded database folder is refused, naming the one running.
        const second = await cli(['serve']);
        expect(second.code).toBe(1);
        expect(second.out).toContain(`Another Kankei process (pid ${shown.child.pid}) is using the database folder`);
        expect(second.out).not.toContain('running at');

        // Without a command: the help, and no server.
        const bare = await cli([]);
        expect(bare.code).toBe(0);
        expect(bare.out).toContain('Usage: kankei <command>');
        expect(bare.out).not.toContain('running at');
      } finally {
        expect(await stop(shown.child)).toBe(0);
      }
      // A clean stop leaves no lock behind.
      expect(fs.existsSync(path.join(dir, 'pglite.lock'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // Three cold starts (tsx, and PGlite for the server): slow on a busy two-core machine.
  }, 420_000);

  it('refuses to start with a bad configuration, naming the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port', KANKEI_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('PORT');
  });

  it.skipIf(!TEST_DATABASE_URL)('runs the same command on PostgreSQL when DATABASE_URL is set', async () => {
    const name = `kankei_serve_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      // No KANKEI_DEMO_DATA: on PostgreSQL that means no demo data (and no demo staff).
      const server = await startServer({ DATABASE_URL: url.toString(), KANKEI_DEMO_DATA: '' });
      try {
        expect(server.output()).toContain('Database: PostgreSQL');
        expect(server.output()).not.toContain('【デモ】');
        const health = await fetch(`${server.url}/api/health`);
        expect(await health.json()).toEqual({ status: 'ok', db: 'postgres' });
        const s = await login(server.url);
        const people = await fetch(`${server.url}/api/people`, { headers: { cookie: s.cookie } });
        expect(((await people.json()) as { total: number }).total).toBe(0);
      } finally {
        expect(await stop(server.child)).toBe(0);
      }
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});
