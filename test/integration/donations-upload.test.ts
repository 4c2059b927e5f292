/**
 * The uploaded donor file (names, addresses, phones) lives only in Kankei's own upload folder,
 * private to its owner, while its request lasts: removed after an import, a dry run or a refusal,
 * and when the client goes away mid-upload or mid-import; what a crashed process left there is
 * swept at start (a real `kill -9` is in upload-crash.test.ts).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { donor, encodeCsv, PLATFORM_HEADER } from '../fixtures/donations/donors.js';

const YAMAGATA = '062014';

function donorFile(rows: number, tag: string): Buffer {
  const lines: string[][] = [[...PLATFORM_HEADER]];
  for (let i = 0; i < rows; i++) {
    const d = donor(i, tag);
    lines.push([`R-${tag}-${i}`, '2024/4/1', '10,000', d.name, d.kana, d.postal, d.address, d.phone, d.email]);
  }
  return encodeCsv(lines, 'utf-8');
}

const uploadFiles = (dir: string) => fs.readdirSync(dir).filter((n) => n.startsWith('kankei-upload-'));

async function eventually(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(TEST_DRIVERS)('donor upload files on %s', (driver) => {
  let t: TestApp;
  let root: string;
  let uploadDir: string;
  const leftover = 'kankei-upload-999999999-0123456789abcdef01234567.csv';
  const otherProcess = `kankei-upload-${process.ppid}-89abcdef0123456789abcdef.csv`;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-upload-test-'));
    uploadDir = path.join(root, 'uploads');
    fs.mkdirSync(uploadDir, { mode: 0o755 });
    fs.chmodSync(uploadDir, 0o755);
    fs.writeFileSync(path.join(uploadDir, leftover), '寄附者氏名\n山形 花子\n');
    fs.writeFileSync(path.join(uploadDir, otherProcess), 'in progress');
    fs.writeFileSync(path.join(uploadDir, 'README.txt'), 'not ours');
    t = await createTestApp(driver, { uploadDir });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const upload = (file: Buffer | null, fields: Record<string, string> = { municipalityCode: YAMAGATA }) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append('file', new Blob([new Uint8Array(file)], { type: 'text/csv' }), 'donors.csv');
    return t.admin.request({ method: 'POST', url: '/api/imports/donations', payload: form });
  };

  it('sweeps at start the files a crashed process left, keeps those of a running one, and makes the folder private', () => {
    expect(fs.existsSync(path.join(uploadDir, leftover))).toBe(false);
    expect(fs.existsSync(path.join(uploadDir, otherProcess))).toBe(true);
    expect(fs.existsSync(path.join(uploadDir, 'README.txt'))).toBe(true);
    expect(fs.statSync(uploadDir).mode & 0o777).toBe(0o700);
    fs.rmSync(path.join(uploadDir, otherProcess));
  });

  it('removes the file after an import, a dry run, a file it cannot read and a request it refuses', async () => {
    expect((await upload(donorFile(3, 'a'))).statusCode).toBe(201);
    expect(uploadFiles(uploadDir)).toEqual([]);
    expect((await upload(donorFile(3, 'b'), { municipalityCode: YAMAGATA, dryRun: 'true' })).statusCode).toBe(200);
    expect(uploadFiles(uploadDir)).toEqual([]);
    expect((await upload(Buffer.from('\ufeff寄附者氏名,寄附日,寄附金額\r\n', 'utf16le'))).statusCode).toBe(400);
    expect(uploadFiles(uploadDir)).toEqual([]);
    expect((await upload(donorFile(3, 'c'), { municipalityCode: '999999' })).statusCode).toBe(400);
    expect((await upload(donorFile(3, 'd'), {})).statusCode).toBe(400);
    expect(uploadFiles(uploadDir)).toEqual([]);
  });

  describe('over a real connection', () => {
    let port: number;
    beforeAll(async () => {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      port = (t.app.server.address() as { port: number }).port;
    });

    /** Starts a multipart upload of `file`; the caller writes the rest, ends or cuts it. */
    function startUpload() {
      const boundary = `----kankei${Date.now()}`;
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/imports/donations',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          cookie: t.admin.cookie,
          'x-csrf-token': t.admin.csrfToken,
        },
      });
      req.on('error', () => {});
      req.write(`--${boundary}\r\ncontent-disposition: form-data; name="municipalityCode"\r\n\r\n${YAMAGATA}\r\n`);
      req.write(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="donors.csv"\r\ncontent-type: text/csv\r\n\r\n`,
      );
      return { req, finish: (rest: Buffer) => req.end(Buffer.concat([rest, Buffer.from(`\r\n--${boundary}--\r\n`)])) };
    }

    it('writes the file owner-only while it arrives, and removes it when the client goes away mid-upload', async () => {
      const { req } = startUpload();
      req.write(donorFile(2000, 'e'));
      await eventually(() => uploadFiles(uploadDir).length === 1, 'the upload file to appear');
      const [name] = uploadFiles(uploadDir);
      expect(fs.statSync(path.join(uploadDir, name!)).mode & 0o777).toBe(0o600);
      req.destroy();
      await eventually(() => uploadFiles(uploadDir).length === 0, 'the cut-off upload to be removed');
    });

    it('removes the file when the client goes away while the import runs', async () => {
      const { req, finish } = startUpload();
      finish(donorFile(20_000, 'f'));
      // Wait until the whole body is on disk and the import has the file, then hang up.
      await eventually(() => uploadFiles(uploadDir).length === 1, 'the upload file to appear');
      await new Promise((r) => setTimeout(r, 300));
      req.destroy();
      await eventually(
        () => uploadFiles(uploadDir).length === 0,
        'the upload file to be removed after the import',
        60_000,
      );
    });
  });
});
