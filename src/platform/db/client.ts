/**
 * Two drivers: embedded PGlite (default, a data folder) or node-postgres when a
 * connection string is given. Everything above this file sees the same Drizzle `Db`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { withPrivateLogging } from '../logging.js';
import { lockDataFolder } from './data-lock.js';

/**
 * The Drizzle handle every query goes through. Queries name their tables (query builder, `sql`),
 * so the handle carries no schema: the tables belong to the modules that own them, and platform
 * never imports a module (docs/architecture.md, dependency rules).
 */
export type Db = PgDatabase<PgQueryResultHKT>;
export type DriverName = 'pglite' | 'postgres';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));

export type Database = {
  db: Db;
  driver: DriverName;
  /** Applies the versioned migrations in ./drizzle; safe to run on every start. */
  migrate(): Promise<void>;
  /** Migrations in ./drizzle this database has not applied yet (0 when current; readiness). */
  pendingMigrations(): Promise<number>;
  /** The connection pool's state (PostgreSQL); PGlite has one embedded connection and no pool. */
  poolState?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
};

/**
 * Drizzle's migrator applies every journal entry newer than the newest it recorded in
 * drizzle.__drizzle_migrations (by the entry's `when`), so the count of newer entries is what a
 * migrate() would apply now.
 */
async function pendingMigrationsOf(db: Db): Promise<number> {
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ when: number }>;
  };
  let newest = -1;
  try {
    const [row] = await queryRows<{ newest: string | null }>(
      db,
      sql`select max(created_at)::text as newest from drizzle.__drizzle_migrations`,
    );
    newest = row?.newest ? Number(row.newest) : -1;
  } catch {
    // No migrations table: nothing applied yet.
  }
  return journal.entries.filter((e) => e.when > newest).length;
}

export type OpenDatabaseOptions =
  | {
      driver: 'postgres';
      url: string;
      poolSize?: number;
      /** Where errors of idle connections go (the app's logger); none: they are dropped. */
      logger?: FastifyBaseLogger;
    }
  /** `dataDir` undefined → in-memory (tests). */
  | { driver: 'pglite'; dataDir?: string };

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.driver === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // An idle client losing its connection must not crash the process (the pool replaces it),
    // but an operator must see it: a database restart or a network cut shows here first.
    const log = options.logger && withPrivateLogging(options.logger);
    pool.on('error', (err) => log?.error({ err }, 'idle PostgreSQL connection failed; the pool replaces it'));
    const db = drizzlePg({ client: pool }) as unknown as Db;
    return {
      db,
      driver: 'postgres',
      migrate: () => migratePg(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
      pendingMigrations: () => pendingMigrationsOf(db),
      poolState: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      close: () => pool.end(),
    };
  }
  let client: PGlite;
  let unlock = () => {};
  if (options.dataDir) {
    fs.mkdirSync(path.dirname(options.dataDir), { recursive: true });
    // Before opening: a second process must not even start PGlite on a folder in use.
    unlock = lockDataFolder(options.dataDir);
    try {
      client = await PGlite.create(options.dataDir);
    } catch (err) {
      unlock();
      throw err;
    }
  } else {
    client = await PGlite.create();
  }
  const db = drizzlePglite({ client }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    pendingMigrations: () => pendingMigrationsOf(db),
    close: async () => {
      try {
        if (!client.closed) await client.close();
      } finally {
        unlock();
      }
    },
  };
}

/** Runs raw SQL and returns its rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** Drizzle's internals that a named statement needs (the query builder uses them the same way). */
type PreparingDb = {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  session: {
    prepareQuery(
      query: { sql: string; params: unknown[] },
      fields: undefined,
      name: string,
      arrayMode: false,
    ): { execute(): Promise<{ rows: unknown[] }> };
  };
};

/**
 * queryRows for a statement of a hot path whose best plan does not depend on its parameters (an
 * index range or an index order with a limit). On PostgreSQL it runs as a named prepared statement
 * (named by its text), so each connection parses it once and, after a few runs, plans it once:
 * the people search's range statement took longer to plan (2 ms) than to run. Not for statements
 * whose plan must follow their values (a GIN probe: a generic plan may pick a sequential scan that
 * suits one term and reads the whole table for another). PGlite runs it as queryRows does.
 */
export async function queryRowsPrepared<T>(db: Db, query: SQL): Promise<T[]> {
  const { dialect, session } = db as unknown as PreparingDb;
  const built = dialect.sqlToQuery(query);
  const name = `kankei_${createHash('sha1').update(built.sql).digest('base64url').slice(0, 24)}`;
  const result = await session.prepareQuery(built, undefined, name, false).execute();
  return result.rows as T[];
}

/**
 * Runs the reads of one answer that takes several statements (a search level by level) in one
 * read-only snapshot, so every statement sees the same data, with JIT compilation off. PostgreSQL
 * compiles a statement whose estimated cost passes `jit_above_cost` before running it; for the
 * matching candidates (statements of many correlated subqueries, estimated far above their real
 * cost) that compilation took 50–60 ms of a 100 ms answer and is never reused. Batch work that
 * may gain from JIT does not go through here. Inside a transaction it runs as a nested one.
 *
 * `genericPlans`: statements prepared with `queryRowsPrepared` are planned once per connection
 * and shape, not on every run. Only for statements whose plan does not depend on their values;
 * a level statement of the candidates took 1.5–2 ms to plan and 10–30 ms to run.
 */
export function readSnapshot<T>(
  db: Db,
  fn: (snapshot: Db) => Promise<T>,
  options: { genericPlans?: boolean } = {},
): Promise<T> {
  return db.transaction(
    async (tx) => {
      await tx.execute(
        options.genericPlans
          ? sql`select set_config('jit', 'off', true), set_config('plan_cache_mode', 'force_generic_plan', true)`
          : sql`select set_config('jit', 'off', true)`,
      );
      return fn(tx as unknown as Db);
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** A `text[]` of bound parameters (an empty list is an empty array, not a syntax error). */
export function textArray(values: readonly string[]): SQL {
  return values.length
    ? sql`array[${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )}]::text[]`
    : sql`array[]::text[]`;
}
