/**
 * Donor import benchmark (PostgreSQL): a synthetic ふるさと納税 donor file of `rows` rows in CP932
 * with 和暦 dates, imported through the import service into a fresh database, next to two
 * references measured in the same run with `psql \copy`: the very same rows (as UTF-8) into a
 * bare table — the ceiling of getting rows into PostgreSQL at all — and the donation records the
 * import wrote into the real (emptied) engagements table — the floor of storing a donation as
 * Kankei does. Reports rows/s of all three, the ratios, and the importer's RSS sampled through
 * the run. See docs/benchmarks.md, "Donor import".
 *
 * Run alone: `npx tsx bench/donor-import.ts` (BENCH_DONOR_ROWS, default 1000000;
 * BENCH_DATABASE_URL / TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres;
 * KANKEI_IMPORT_PROFILE=1|serial|explain prints where the import's time went).
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
import { importDonorFile, printImportProfile, setImportProfiling } from '../src/modules/donations/donations.import.js';
import { inspectFile } from '../src/modules/donations/donations.upload.js';
import type { StaffContext } from '../src/platform/request-context.js';
import { toWareki } from '../src/shared/wareki.js';
import { seededRandom } from './lib/synthetic.js';

const run = promisify(execFile);
const HEADER = [
  '受付番号',
  '入金日',
  '寄附金額',
  '寄附者氏名',
  'フリガナ',
  '郵便番号',
  '住所',
  '電話番号',
  'メールアドレス',
];
const SURNAMES = [
  ['佐藤', 'サトウ'],
  ['鈴木', 'スズキ'],
  ['高橋', 'タカハシ'],
  ['田中', 'タナカ'],
  ['伊藤', 'イトウ'],
  ['渡辺', 'ワタナベ'],
  ['山本', 'ヤマモト'],
  ['中村', 'ナカムラ'],
  ['小林', 'コバヤシ'],
  ['加藤', 'カトウ'],
  ['奥山', 'オクヤマ'],
  ['結城', 'ユウキ'],
];
const GIVEN = [
  ['花子', 'ハナコ'],
  ['太郎', 'タロウ'],
  ['美咲', 'ミサキ'],
  ['健太', 'ケンタ'],
  ['陽菜', 'ヒナ'],
  ['大輔', 'ダイスケ'],
  ['結衣', 'ユイ'],
  ['直樹', 'ナオキ'],
];
const PLACES = [
  '東京都世田谷区桜',
  '神奈川県横浜市港北区日吉',
  '埼玉県さいたま市浦和区高砂',
  '大阪府大阪市北区梅田',
  '千葉県千葉市中央区中央',
  '山形県山形市旅篭町',
];
const AMOUNTS = ['5,000', '10,000', '10,000', '12,000', '15,000', '20,000', '30,000', '50,000'];

/**
 * The synthetic file: `rows` donations by rows/4 donors (many give several times a year, as
 * ふるさと納税 donors do), dated 2022–2024 in the formats platforms use (令和6年4月1日, R6.4.1,
 * 2024/04/01), amounts written "10,000". Deterministic. Returns the number of distinct donors.
 */
export async function writeSyntheticFiles(rows: number, cp932Path: string, utf8Path: string): Promise<number> {
  const random = seededRandom(20241123);
  const donors = Math.max(1, Math.floor(rows / 4));
  const cp932 = fs.createWriteStream(cp932Path);
  const utf8 = fs.createWriteStream(utf8Path);
  const write = async (stream: fs.WriteStream, data: Buffer | string) => {
    if (!stream.write(data)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
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
    const written =
      style === 0 ? toWareki(date, 'kanji')! : style === 1 ? toWareki(date, 'letter')! : date.replaceAll('-', '/');
    chunk += `${[
      `F${String(i).padStart(8, '0')}`,
      written,
      `"${AMOUNTS[Math.floor(random() * AMOUNTS.length)]}"`,
      `${sn} ${gn}${d}`,
      `${sk} ${gk}`,
      `${String(100 + (d % 900))}-${String(d % 10000).padStart(4, '0')}`,
      `${PLACES[d % PLACES.length]}${(d % 9) + 1}-${(d % 30) + 1}`,
      `090-${String(d).padStart(8, '0').slice(0, 4)}-${String(d).padStart(8, '0').slice(4)}`,
      `donor${d}@example.jp`,
    ].join(',')}\r\n`;
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

/**
 * Resident set size while `work` runs, sampled every 200 ms: the peak, and the size at points of
 * the run (so that growth shows, not only the highest point).
 */
async function withRssSamples<T>(
  work: () => Promise<T>,
): Promise<{ result: T; peakRssMb: number; rssAt: Record<string, number>; heapAt: Record<string, number> }> {
  const samples: Array<{ t: number; rss: number; heap: number }> = [];
  const started = performance.now();
  const sample = () => {
    const m = process.memoryUsage();
    samples.push({ t: performance.now() - started, rss: m.rss, heap: m.heapUsed + m.external });
  };
  sample();
  const timer = setInterval(sample, 200);
  try {
    const result = await work();
    sample();
    const mb = (b: number) => Math.round(b / 2 ** 20);
    const end = samples[samples.length - 1]!.t;
    const rssAt: Record<string, number> = {};
    const heapAt: Record<string, number> = {};
    for (const share of [0.1, 0.25, 0.5, 0.75, 0.9, 1]) {
      const at = samples.find((x) => x.t >= share * end) ?? samples[samples.length - 1]!;
      rssAt[`${Math.round(share * 100)}%`] = mb(at.rss);
      heapAt[`${Math.round(share * 100)}%`] = mb(at.heap);
    }
    const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
    rssAt.peakAt = Math.round((100 * peak.t) / end);
    heapAt.peak = mb(Math.max(...samples.map((x) => x.heap)));
    return { result, peakRssMb: mb(peak.rss), rssAt, heapAt };
  } finally {
    clearInterval(timer);
  }
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** KANKEI_IMPORT_PROFILE=1|serial|explain → the import's profiling mode (see donations.import.ts). */
function importProfileMode(value: string | undefined) {
  if (!value) return 'off' as const;
  if (value === 'serial' || value === 'explain') return value;
  return 'wall' as const;
}

export async function runDonorImportBench(opts: {
  databaseUrl: string;
  rows: number;
  log?: (message: string) => void;
}): Promise<Record<string, number | string>> {
  const log = opts.log ?? ((m: string) => console.log(`[donor-import] ${m}`));
  setImportProfiling(importProfileMode(process.env.KANKEI_IMPORT_PROFILE));
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
    await ensureFirstAdmin(database.db, {
      email: 'bench-admin@kankei.example',
      password: randomBytes(12).toString('base64url'),
    });
    const [actor] = await database.db.select().from(staff).limit(1);
    const ctx: StaffContext = {
      via: 'staff',
      locale: 'ja',
      actor: {
        staffId: actor!.id,
        email: actor!.email,
        name: actor!.name,
        role: 'prefecture_admin',
        municipalityCode: null,
        organizationId: null,
        via: 'token',
      },
      ip: '127.0.0.1',
      userAgent: 'bench/donor-import',
    };

    log(`writing ${opts.rows} synthetic rows (CP932 and UTF-8)…`);
    const donors = await writeSyntheticFiles(opts.rows, cp932Path, utf8Path);
    const fileMb = fs.statSync(cp932Path).size / 2 ** 20;

    // Each measured phase starts from a checkpoint (when the role may ask for one), so that none
    // pays for flushing what the one before it wrote.
    const settle = () => admin.query('checkpoint').catch(() => {});
    await settle();
    log(`importing through the service (${round(fileMb)} MB CP932)…`);
    const baselineRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
    const started = performance.now();
    const { result, peakRssMb, rssAt, heapAt } = await withRssSamples(async () => {
      const inspected = await inspectFile(cp932Path);
      const inspectSeconds = (performance.now() - started) / 1000;
      if (!inspected.verdict.ok) throw new Error(`encoding refused: ${JSON.stringify(inspected.verdict)}`);
      const imported = await importDonorFile(
        database!.db,
        ctx,
        {
          path: cp932Path,
          fileName: 'donors-cp932.csv',
          sha256: inspected.sha256,
          encoding: inspected.verdict.encoding,
        },
        { municipalityCode: '062014', linkOnlyVisible: false },
      );
      return { inspectSeconds, imported };
    });
    const importSeconds = (performance.now() - started) / 1000;
    if (process.env.KANKEI_IMPORT_PROFILE) printImportProfile();
    const { imported, inspectSeconds } = result;
    log(
      `  ${round(importSeconds)} s, ${JSON.stringify(imported.totals)}, certified ${JSON.stringify(imported.certified)}, RSS ${baselineRssMb} MB before, ${JSON.stringify(rssAt)} through the run, peak ${peakRssMb} MB`,
    );

    log('psql \\copy of the same rows into a bare table…');
    const columns = HEADER.map((_, i) => `c${i} text`).join(', ');
    const benchDb = new pg.Client({ connectionString: url.toString() });
    await benchDb.connect();
    await benchDb.query(`create table bare_donors (${columns})`);
    const psql = (command: string) =>
      run('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-c', command], { maxBuffer: 1 << 20 });
    await settle();
    const copyStarted = performance.now();
    await psql(`\\copy bare_donors from '${utf8Path}' csv header`);
    const psqlSeconds = (performance.now() - copyStarted) / 1000;
    log(`  ${round(psqlSeconds, 2)} s`);

    // The floor of storing these donations as Kankei does: the very engagement rows the import
    // wrote, COPYed by psql into the real engagements table (its four indexes, its foreign keys
    // to people and municipalities, the people present), emptied first.
    log('psql \\copy of the donation records the import wrote into the (emptied) engagements table…');
    const recordsPath = path.join(dir, 'engagements.copy');
    await psql(`\\copy (select * from engagements) to '${recordsPath}'`);
    const [{ referencing }] = (
      await benchDb.query(
        `select count(*)::int as referencing from pg_constraint where confrelid = 'engagements'::regclass`,
      )
    ).rows;
    if (referencing)
      throw new Error('a foreign key references engagements: the floor measurement would need to keep it');
    await benchDb.query(`truncate engagements`);
    await settle();
    const floorStarted = performance.now();
    await psql(`\\copy engagements from '${recordsPath}'`);
    const floorSeconds = (performance.now() - floorStarted) / 1000;
    const [{ n: floorRows }] = (await benchDb.query(`select count(*)::int as n from engagements`)).rows;
    await benchDb.end();
    log(`  ${round(floorSeconds, 2)} s for ${floorRows} records`);

    const importRowsPerSecond = opts.rows / importSeconds;
    const psqlRowsPerSecond = opts.rows / psqlSeconds;
    const floorRowsPerSecond = floorRows / floorSeconds;
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
      engagementsCopySeconds: round(floorSeconds, 2),
      engagementsCopyRowsPerSecond: Math.round(floorRowsPerSecond),
      importToEngagementsCopy: round(importRowsPerSecond / floorRowsPerSecond, 3),
      engagementsCopyToPsqlCopy: round(floorRowsPerSecond / psqlRowsPerSecond, 3),
      imported: imported.totals.imported,
      duplicates: imported.totals.duplicates,
      refused: imported.totals.refused,
      newPeople: imported.totals.newPeople,
      certified: imported.certified.kokoro_furusato ?? 0,
      baselineRssMb,
      peakRssMb,
      rssThroughRunMb: Object.entries(rssAt)
        .map(([k, v]) => (k === 'peakAt' ? `peak at ${v}%` : `${k} ${v}`))
        .join(', '),
      // V8 heap in use plus memory held outside it (Buffers): what the import holds, sampled.
      heapThroughRunMb: Object.entries(heapAt)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
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
  const databaseUrl =
    process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  runDonorImportBench({ databaseUrl, rows })
    .then((figures) => console.log(JSON.stringify(figures, null, 2)))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
