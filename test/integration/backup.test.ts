/**
 * `kankei backup` / `kankei restore` on both drivers: a database with people, links, consents and
 * audit rows is backed up, wiped, restored, and every table's row count and row digest must equal
 * what it was. A failed restore leaves the database it was meant to replace as it was.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createPerson } from '../../src/modules/people/index.js';
import { seedYamagataPlaces } from '../../src/modules/places/places.service.js';
import { backupDatabase, defaultBackupFile, restoreDatabase, tableChecksums } from '../../src/platform/db/backup.js';
import { openDatabase, type Database } from '../../src/platform/db/client.js';
import { systemContext } from '../../src/platform/request-context.js';
import { createOrResetAdmin } from '../../src/seed/seed.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../helpers/db.js';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-backup-test-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

/** Some of every kind of row: municipalities, staff, people with links, their audit rows. */
async function fill(database: Database): Promise<void> {
  await seedYamagataPlaces(database.db);
  await createOrResetAdmin(database.db, { email: 'backup-admin@test.kankei.example', password: 'backup-password-1' });
  const [admin] = (
    (await database.db.execute(sql`select id from staff limit 1`)) as unknown as { rows: Array<{ id: string }> }
  ).rows;
  const ctx = {
    ...systemContext(),
    via: 'staff' as const,
    actor: {
      staffId: admin!.id,
      email: 'backup-admin@test.kankei.example',
      name: '【テスト】管理者',
      role: 'prefecture_admin' as const,
      municipalityCode: null,
      organizationId: null,
      via: 'session' as const,
    },
  };
  for (let i = 0; i < 12; i++) {
    await createPerson(database.db, ctx, {
      name: `【テスト】復元 太郎${i}`,
      kana: `フクゲン タロウ${i}`,
      email: `restore${i}@example.jp`,
      links: [{ municipalityCode: i % 2 ? '062014' : '062022', kind: 'supporter' }],
    });
  }
}

const nonEmpty = (sums: Awaited<ReturnType<typeof tableChecksums>>) =>
  sums.filter((s) => s.rows > 0).map((s) => s.table);

describe('backup and restore of the embedded database (PGlite)', () => {
  const dataDir = path.join(folder, 'data', 'pglite');

  it('restores exactly what was backed up, moving the replaced folder aside', async () => {
    const database = await openDatabase({ driver: 'pglite', dataDir });
    await database.migrate();
    await fill(database);
    const before = await tableChecksums(database.db);
    await database.close();
    expect(nonEmpty(before)).toEqual(
      expect.arrayContaining(['public.people', 'public.person_links', 'public.audit_events']),
    );

    const file = path.join(folder, defaultBackupFile('pglite', new Date('2026-12-02T06:30:00Z')));
    expect(path.basename(file)).toBe('kankei-backup-20261202-153000.tar.gz');
    const written = await backupDatabase({ driver: 'pglite', dataDir }, file);
    expect(written.bytes).toBeGreaterThan(0);
    await expect(backupDatabase({ driver: 'pglite', dataDir }, file)).rejects.toThrow(/exists already/);

    // Wipe: the people are gone from the live folder.
    const live = await openDatabase({ driver: 'pglite', dataDir });
    await live.db.execute(sql`truncate person_links, people cascade`);
    expect((await tableChecksums(live.db)).find((s) => s.table === 'public.people')?.rows).toBe(0);
    await live.close();

    const restored = await restoreDatabase({ driver: 'pglite', dataDir }, file);
    expect(restored.movedAside).toBeDefined();
    expect(fs.existsSync(restored.movedAside!)).toBe(true);
    const reopened = await openDatabase({ driver: 'pglite', dataDir });
    expect(await tableChecksums(reopened.db)).toEqual(before);
    await reopened.close();
  }, 300_000);

  it('refuses while another process holds the folder, and keeps the folder when the file is not a backup', async () => {
    const database = await openDatabase({ driver: 'pglite', dataDir });
    const sums = await tableChecksums(database.db);
    await database.close();
    // Another process (a running server) holds the folder's lock: a backup must not copy it.
    const server = spawn('sleep', ['60']);
    fs.writeFileSync(`${dataDir}.lock`, `${server.pid}\n`);
    const file = path.join(folder, 'while-open.tar.gz');
    try {
      await expect(backupDatabase({ driver: 'pglite', dataDir }, file)).rejects.toThrow(/using the database folder/);
      await expect(restoreDatabase({ driver: 'pglite', dataDir }, file)).rejects.toThrow(/No backup file/);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      server.kill();
      fs.rmSync(`${dataDir}.lock`, { force: true });
    }

    const bogus = path.join(folder, 'not-a-backup.tar.gz');
    fs.writeFileSync(bogus, 'this is not a tarball');
    await expect(restoreDatabase({ driver: 'pglite', dataDir }, bogus)).rejects.toThrow();
    const after = await openDatabase({ driver: 'pglite', dataDir });
    expect(await tableChecksums(after.db)).toEqual(sums);
    await after.close();
  }, 300_000);
});

describe.skipIf(!TEST_DATABASE_URL)('backup and restore on PostgreSQL (pg_dump / pg_restore)', () => {
  it('restores exactly what was backed up', async () => {
    const database = await createTestDatabase('postgres');
    try {
      await fill(database);
      const before = await tableChecksums(database.db);
      const file = path.join(folder, 'postgres.dump');
      await backupDatabase({ driver: 'postgres', url: database.url! }, file);

      // Wipe: every table of the application and the migration record.
      await database.db.execute(sql`drop schema public cascade`);
      await database.db.execute(sql`create schema public`);
      await database.db.execute(sql`drop schema if exists drizzle cascade`);
      expect(await tableChecksums(database.db)).toEqual([]);

      await restoreDatabase({ driver: 'postgres', url: database.url! }, file);
      expect(await tableChecksums(database.db)).toEqual(before);
      expect(await database.pendingMigrations()).toBe(0);
    } finally {
      await database.destroy();
    }
  }, 300_000);
});
