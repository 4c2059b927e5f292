/**
 * Test databases: every integration test file runs against in-memory PGlite and, when
 * TEST_DATABASE_URL is set, against a fresh database created on that PostgreSQL server for the
 * file and dropped afterwards — so files never share state and run in any order.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database, type DriverName } from '../../src/platform/db/client.js';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** The drivers this run covers: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const TEST_DRIVERS: DriverName[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export type TestDatabase = Database & {
  /** Connection string of the PostgreSQL test database (undefined for PGlite). */
  url?: string;
  destroy(): Promise<void>;
};

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(driver: DriverName): Promise<TestDatabase> {
  if (driver === 'pglite') {
    const database = await openDatabase({ driver: 'pglite' });
    await database.migrate();
    return { ...database, destroy: () => database.close() };
  }
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `kankei_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient((c) => c.query(`create database ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ driver: 'postgres', url: url.toString(), poolSize: 20 });
  await database.migrate();
  return {
    ...database,
    url: url.toString(),
    destroy: async () => {
      await database.close();
      await withAdminClient((c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}
