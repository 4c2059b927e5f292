/**
 * Donor import benchmark (PostgreSQL): a synthetic ふるさと納税 donor file of `rows` rows in CP932
 * with 和暦 dates, imported through the import service into a fresh database, next to
 * `psql \copy` of the very same rows (as UTF-8) into a bare table — the ceiling of getting rows
 * into PostgreSQL at all. Reports rows/s of both, their ratio and the importer's peak RSS.
 *
 * Run alone: `npx tsx bench/donor-import.ts` (BENCH_DONOR_ROWS, default 1000000;
 * BENCH_DATABASE_URL / TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import pg from 'pg';
import { openDatabase } from '../src/platform/db/client.js';
import { seedYamagataPlaces } from '../src/modules/places/places.service.js';
import { ensureFirstAdmin, seedCertificationRules } from '../src/seed/seed.js';
import { staff } from '../src/platform/auth/auth.tables.js';
import { importDonorFile } from '../src/modules/donations/donations.import.js';
import { inspectFile } from '../src/modules/donations/donations.upload.js';
import type { RequestContext } from '../src/platform/auth/actor.js';
import { toWareki } from '../src/shared/wareki.js';
import { seededRandom } from './lib/synthetic.js';

const run = promisify(execFile);
const HEADER = ['受付番号', '入金日', '寄附金額', '寄附者氏名', 'フリガナ', '郵便番号', '住所', '電話番号', 'メールアドレス'];
const SURNAMES = [['佐藤', 'サトウ'], ['鈴木', 'スズキ'], ['高橋', 'タカハシ'], ['田中', 'タナカ'], ['伊藤', 'イトウ'], ['渡辺', 'ワタナベ'], ['山本', 'ヤマモト'], ['中村', 'ナカムラ'], ['小林', 'コバヤシ'], ['加藤', 'カトウ'], ['奥山', 'オクヤマ'], ['結城', 'ユウキ']];
const GIVEN = [['花子', 'ハナコ'], ['太郎', 'タロウ'], ['美咲', 'ミサキ'], ['健太', 'ケンタ'], ['陽菜', 'ヒナ'], ['大輔', 'ダイスケ'], ['結衣', 'ユイ'], ['直樹', 'ナオキ']];
const PLACES = ['東京都世田谷区桜', '神奈川県横浜市港北区日吉', '埼玉県さいたま市浦和区高砂', '大阪府大阪市北区梅田', '千葉県千葉市中央区中央', '山形県山形市旅篭町'];
const AMOUNTS = ['5,000', '10,000', '10,000', '12,000', '15,000', '20,000', '30,000', '50,000'];

/**
 * The synthetic file: `rows` donations by rows/4 donors (many give several times a year, as
 * ふるさと納税 donors do), dated 2022–2024 in the formats platforms use (令和6年4月1日, R6.4.1,
 * 2024/04/01), amounts written "10,000". Deterministic. Returns the number of distinct donors.
 */
async function writeSyntheticFiles(rows: number, cp932Path: string, utf8Path: string): Promise<number> {
  const random = seededRandom(20241123);
  const donors = Math.max(1, Math.floor(rows / 4));
  const cp932 = fs.createWriteStream(cp932Path);
  const utf8 = fs.createWriteStream(utf8Path);
  const write = async (stream: fs.WriteStream, data: Buffer | string) => {
    if (!stream.write(data)) await new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  };
  let chunk = `${HEADER.join(',')}\r\n`;
  const dayMs = 86_400_000;
  const start = Date.UTC(2022, 0, 1) / dayMs;
  const span = Date.UTC(2024, 11, 31) / dayMs - start;
  for (let i = 0; i < rows; i++) {
    const d = Math.floor(random() * donors);
    const [sn, sk] = SURNAMES[d % SURNAMES.length]!;
    const [gn, gk] = GIVEN[Math.floor(d / SURNAMES.length) % GIVEN.length]!;
    const date = new Date((start + Math.floor(random() * span)) * dayMs).toISOString().slice(0, 10);
    const style = i % 3;
    const written = style === 0 ? toWareki(date, 'kanji')! : style === 1 ? toWareki(date, 'letter')! : date.replaceAll('-', '/');
    chunk +=
      [
        `F${String(i).padStart(8, '0')}`,
        written,
        `"${AMOUNTS[Math.floor(random() * AMOUNTS.length)]}"`,
        `${sn} ${gn}${d}`,
        `${sk} ${gk}`,
        `${String(100 + (d % 900))}-${String(d % 10000).padStart(4, '0')}`,
        `${PLACES[d % PLACES.length]}${(d % 9) + 1}-${(d % 30) + 1}`,
        `090-${String(d).padStart(8, '0').slice(0, 4)}-${String(d).padStart(8, '0').slice(4)}`,
        `donor${d}@example.jp`,
      ].join(',') + '\r\n';
    if (chunk.length > 1 << 20) {
      await write(cp932, iconv.encode(chunk, 'cp932'));
      await write(utf8, chunk);
      chunk = '';
    }
  }
  await write(cp932, iconv.encode(chunk, 'cp932'));
  await write(utf8, chunk);
  await Promise.all([cp932, utf8].map((s) => new Promise((resolve) => s.end(resolve))));
  return donors;
}

/** Peak resident set size while `work` runs, sampled every 100 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export async function runDonorImportBench(opts: { databaseUrl: string; rows: number; log?: (message: string) => void }): Promise<Record<string, number | string>> {
  const log = opts.log ?? ((m: string) => console.log(`[donor-import] ${m}`));
  const name = `kankei_donor_bench_${randomBytes(5).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-donor-bench-'));
  const cp932Path = path.join(dir, 'donors-cp932.csv');
  const utf8Path = path.join(dir, 'donors-utf8.csv');
  const admin = new pg.Client({ connectionString: opts.databaseUrl });
  await admin.connect();
  const url = new URL(opts.databaseUrl);
  url.pathname = `/${name}`;
  let database: Awaited<ReturnType<typeof openDatabase>> | null = null;
  try {
    await admin.query(`create database ${name}`);
    database = await openDatabase({ driver: 'postgres', url: url.toString(), poolSize: 4 });
    await database.migrate();
    await seedYamagataPlaces(database.db);
    await seedCertificationRules(database.db);
    await ensureFirstAdmin(database.db, { email: 'bench-admin@kankei.example', password: randomBytes(12).toString('base64url') });
    const [actor] = await database.db.select().from(staff).limit(1);
    const ctx: RequestContext = {
      actor: { staffId: actor!.id, email: actor!.email, name: actor!.name, role: 'prefecture_admin', municipalityCode: null, organizationId: null, via: 'token' },
      ip: '127.0.0.1',
      userAgent: 'bench/donor-import',
    };

    log(`writing ${opts.rows} synthetic rows (CP932 and UTF-8)…`);
    const donors = await writeSyntheticFiles(opts.rows, cp932Path, utf8Path);
    const fileMb = fs.statSync(cp932Path).size / 2 ** 20;

    log(`importing through the service (${round(fileMb)} MB CP932)…`);
    const baselineRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
    const started = performance.now();
    const { result, peakRssMb } = await withPeakRss(async () => {
      const inspected = await inspectFile(cp932Path);
      const inspectSeconds = (performance.now() - started) / 1000;
      if (!inspected.verdict.ok) throw new Error(`encoding refused: ${JSON.stringify(inspected.verdict)}`);
      const imported = await importDonorFile(
        database!.db,
        ctx,
        { path: cp932Path, fileName: 'donors-cp932.csv', sha256: inspected.sha256, encoding: inspected.verdict.encoding },
        { municipalityCode: '062014', linkOnlyVisible: false },
      );
      return { inspectSeconds, imported };
    });
    const importSeconds = (performance.now() - started) / 1000;
    const { imported, inspectSeconds } = result;
    log(`  ${round(importSeconds)} s, ${JSON.stringify(imported.totals)}, certified ${JSON.stringify(imported.certified)}, peak RSS ${peakRssMb} MB`);

    log('psql \\copy of the same rows into a bare table…');
    const columns = HEADER.map((_, i) => `c${i} text`).join(', ');
    const benchDb = new pg.Client({ connectionString: url.toString() });
    await benchDb.connect();
    await benchDb.query(`create table bare_donors (${columns})`);
    await benchDb.end();
    const copyStarted = performance.now();
    await run('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bare_donors from '${utf8Path}' csv header`]);
    const psqlSeconds = (performance.now() - copyStarted) / 1000;
    const importRowsPerSecond = opts.rows / importSeconds;
    const psqlRowsPerSecond = opts.rows / psqlSeconds;
    log(`  ${round(psqlSeconds, 2)} s`);
    return {
      rows: opts.rows,
      donors,
      fileMb: round(fileMb),
      encoding: 'cp932',
      inspectSeconds: round(inspectSeconds, 2),
      importSeconds: round(importSeconds, 2),
      importRowsPerSecond: Math.round(importRowsPerSecond),
      psqlCopySeconds: round(psqlSeconds, 2),
      psqlCopyRowsPerSecond: Math.round(psqlRowsPerSecond),
      ratio: round(importRowsPerSecond / psqlRowsPerSecond, 3),
      target: 0.25,
      imported: imported.totals.imported,
      duplicates: imported.totals.duplicates,
      refused: imported.totals.refused,
      newPeople: imported.totals.newPeople,
      certified: imported.certified.kokoro_furusato ?? 0,
      baselineRssMb,
      peakRssMb,
    };
  } finally {
    await database?.close().catch(() => {});
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const rows = Number(process.env.BENCH_DONOR_ROWS ?? 1_000_000);
  const databaseUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  runDonorImportBench({ databaseUrl, rows })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
