/**
 * `kankei backup` / `kankei restore`: a consistent copy of the whole database, and putting one back.
 *
 * - **Embedded (PGlite)**: the data folder as PGlite's own dump (`dumpDataDir`, a gzip tarball of
 *   the folder as the database sees it). The folder's lock (data-lock.ts) is taken first, so a
 *   running server is never copied mid-write: stop it, back up, start it again. A restore never
 *   deletes the folder it replaces: it is moved aside to `pglite.before-restore-<time>`.
 * - **PostgreSQL**: `pg_dump --format=custom` of the database in DATABASE_URL (online and
 *   consistent: one snapshot), and `pg_restore --clean --if-exists --single-transaction` back into
 *   it — all or nothing. pg_dump/pg_restore come from the PostgreSQL client package of the
 *   server's major version (Debian: postgresql-client).
 *
 * `tableChecksums` gives each table's row count and a digest of its rows, so a restore can be
 * checked against the database it came from (the restore test does exactly that).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { fileTimeInTokyo } from '../../shared/dates.js';
import { type Db, queryRows } from './client.js';
import { lockDataFolder } from './data-lock.js';

export type BackupTarget = { driver: 'pglite'; dataDir: string } | { driver: 'postgres'; url: string };

export type BackupResult = { file: string; bytes: number };

/** `kankei-backup-20261202-153000.tar.gz` (embedded) or `.dump` (PostgreSQL), in Japan time. */
export function defaultBackupFile(driver: BackupTarget['driver'], now: Date = new Date()): string {
  return `kankei-backup-${fileTimeInTokyo(now)}${driver === 'pglite' ? '.tar.gz' : '.dump'}`;
}

export async function backupDatabase(target: BackupTarget, file: string): Promise<BackupResult> {
  if (fs.existsSync(file)) throw new Error(`${file} exists already; name another file (a backup never overwrites).`);
  // Written beside the target and renamed when whole: a failed backup leaves no file that looks like one.
  const partial = `${file}.partial`;
  try {
    if (target.driver === 'pglite') {
      if (!fs.existsSync(target.dataDir)) throw new Error(`No embedded database at ${target.dataDir}.`);
      const unlock = lockDataFolder(target.dataDir);
      try {
        const client = await PGlite.create(target.dataDir);
        try {
          // A checkpoint first: the dump is the folder's files, and they then hold every commit.
          await client.exec('checkpoint');
          const dump = await client.dumpDataDir('gzip');
          fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
        } finally {
          await client.close();
        }
      } finally {
        unlock();
      }
    } else {
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${partial}`, target.url]);
    }
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return { file, bytes: fs.statSync(file).size };
}

export type RestoreResult = { file: string; movedAside?: string };

export async function restoreDatabase(
  target: BackupTarget,
  file: string,
  now: Date = new Date(),
): Promise<RestoreResult> {
  if (!fs.existsSync(file)) throw new Error(`No backup file ${file}.`);
  if (target.driver === 'postgres') {
    await run('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${target.url}`,
      file,
    ]);
    return { file };
  }
  const unlock = lockDataFolder(target.dataDir);
  try {
    let movedAside: string | undefined;
    if (fs.existsSync(target.dataDir)) {
      movedAside = `${target.dataDir}.before-restore-${fileTimeInTokyo(now)}`;
      fs.renameSync(target.dataDir, movedAside);
    }
    try {
      const blob = new Blob([fs.readFileSync(file)]);
      const client = await PGlite.create(target.dataDir, { loadDataDir: blob });
      // Opened and answering: the restored folder is a database.
      await client.query('select 1');
      await client.close();
    } catch (err) {
      // Nothing half-restored stays: the folder that was there comes back.
      fs.rmSync(target.dataDir, { recursive: true, force: true });
      if (movedAside) fs.renameSync(movedAside, target.dataDir);
      throw err;
    }
    return { file, ...(movedAside ? { movedAside } : {}) };
  } finally {
    unlock();
  }
}

export type TableChecksum = { table: string; rows: number; digest: string };

/**
 * Row count and an md5 over every row (as text, in text order) of each table in the public and
 * drizzle schemas: equal digests mean equal contents.
 */
export async function tableChecksums(db: Db): Promise<TableChecksum[]> {
  const tables = await queryRows<{ name: string }>(
    db,
    sql`select format('%I.%I', schemaname, tablename) as name from pg_tables
         where schemaname in ('public', 'drizzle') order by schemaname, tablename`,
  );
  const out: TableChecksum[] = [];
  for (const { name } of tables) {
    const [row] = await queryRows<{ rows: number; digest: string }>(
      db,
      sql.raw(
        `select count(*)::int as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest from ${name} t`,
      ),
    );
    out.push({ table: name, rows: row?.rows ?? 0, digest: row?.digest ?? '' });
  }
  return out;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new Error(`${command} was not found: install the PostgreSQL client tools (Debian: postgresql-client).`)
          : err,
      ),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}
