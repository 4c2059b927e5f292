/**
 * A benchmark target: a fresh, migrated and seeded database on one driver, the Kankei app
 * listening on 127.0.0.1 on top of it, an admin's API token, and the same admin as an
 * in-process StaffContext for the driver-ceiling runs. Everything it creates is registered
 * with the cleanup stack.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp, type AppOptions } from '../../src/app.js';
import { openDatabase, queryRows, type Database, type DriverName } from '../../src/platform/db/client.js';
import type { StaffContext } from '../../src/platform/request-context.js';
import { resolveBearer } from '../../src/platform/auth/auth.service.js';
import { loadYamagataMunicipalities, seedYamagataPlaces } from '../../src/modules/places/places.service.js';
import { createOrResetAdmin } from '../../src/seed/seed.js';
import type { Cleanup } from './cleanup.js';
import { jsonRequest } from './http.js';

export const ADMIN_EMAIL = 'bench-admin@kankei.example';
const ADMIN_PASSWORD = `bench-${randomBytes(9).toString('base64url')}`;

export type BenchTarget = {
  driver: DriverName;
  database: Database;
  app: FastifyInstance;
  baseUrl: string;
  token: string;
  ctx: StaffContext;
  municipalityCodes: string[];
  /** e.g. "PostgreSQL 15.20 (Debian …)" */
  serverVersion: string;
  /** Server settings that bear on the figures (shared_buffers, work_mem, …). */
  settings: Record<string, string>;
  /** Where the data lives: temp folder or database name. */
  location: string;
};

export async function openPgliteTarget(cleanup: Cleanup): Promise<BenchTarget> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-bench-'));
  cleanup.add(`remove ${folder}`, () => fs.rmSync(folder, { recursive: true, force: true }));
  const database = await openDatabase({ driver: 'pglite', dataDir: path.join(folder, 'pgdata') });
  cleanup.add('close PGlite', () => database.close());
  return prepareTarget(database, cleanup, folder);
}

/** Null when the server cannot be reached (the run then skips PostgreSQL). */
/** `appOptions` lift limits for a benchmark (e.g. the public sign-up rate limit); say so where the figures are reported. */
export async function openPostgresTarget(
  serverUrl: string,
  cleanup: Cleanup,
  poolSize: number,
  appOptions: Partial<Omit<AppOptions, 'database'>> = {},
  /** A database kept between runs under this name (created when missing, never dropped). */
  keepDatabase?: string,
): Promise<BenchTarget | null> {
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const name = keepDatabase ?? `kankei_bench_${randomBytes(6).toString('hex')}`;
  try {
    const exists = keepDatabase
      ? (await admin((c) => c.query('select 1 from pg_database where datname = $1', [name]))).rowCount
      : 0;
    if (!exists) await admin((c) => c.query(`create database ${name}`));
  } catch (error) {
    console.warn(
      `PostgreSQL at ${redact(serverUrl)} is not usable (${error instanceof Error ? error.message : error}); skipping PostgreSQL.`,
    );
    return null;
  }
  if (!keepDatabase)
    cleanup.add(`drop database ${name}`, () =>
      admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
    );
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ driver: 'postgres', url: url.toString(), poolSize });
  cleanup.add('close PostgreSQL pool', () => database.close());
  return prepareTarget(database, cleanup, name, appOptions);
}

async function prepareTarget(
  database: Database,
  cleanup: Cleanup,
  location: string,
  appOptions: Partial<Omit<AppOptions, 'database'>> = {},
): Promise<BenchTarget> {
  const { db } = database;
  await database.migrate();
  await seedYamagataPlaces(db);
  // Created, or (in a database kept from an earlier run) given this run's password.
  await createOrResetAdmin(db, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });

  const app = await buildApp({ database, loginRateLimit: 1e9, webRoot: '/nonexistent', ...appOptions });
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanup.add('close app', () => app.close());
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  // Sign in as the web UI does, then issue an API token (bearer requests need no CSRF token).
  const login = await jsonRequest<{ csrfToken: string }>(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    body: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
  });
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${JSON.stringify(login.body)}`);
  const cookie = login.setCookie.map((c) => c.split(';')[0]).find((c) => c?.startsWith('kankei_session='));
  if (!cookie) throw new Error('login set no session cookie');
  const issued = await jsonRequest<{ token: string }>(`${baseUrl}/api/auth/tokens`, {
    method: 'POST',
    body: { name: 'benchmark', expiresInDays: 1 },
    headers: { cookie, 'x-csrf-token': login.body.csrfToken },
  });
  if (issued.status !== 201) throw new Error(`token issue answered ${issued.status}: ${JSON.stringify(issued.body)}`);

  // The in-process runs act as the very actor the bearer token resolves to.
  const actor = await resolveBearer(db, issued.body.token);
  if (!actor) throw new Error('issued token does not resolve');
  const [version] = await queryRows<{ version: string }>(db, sql`select version() as version`);
  const settings = await queryRows<{ name: string; setting: string; unit: string | null }>(
    db,
    sql`select name, setting, unit from pg_settings
        where name in ('shared_buffers', 'work_mem', 'effective_cache_size', 'max_parallel_workers_per_gather', 'jit', 'synchronous_commit')
        order by name`,
  );

  return {
    driver: database.driver,
    database,
    app,
    baseUrl,
    token: issued.body.token,
    ctx: { via: 'staff', locale: 'ja', actor, ip: '127.0.0.1', userAgent: 'kankei-bench (in-process)' },
    municipalityCodes: loadYamagataMunicipalities().map((m) => m.code),
    serverVersion: version?.version ?? 'unknown',
    settings: Object.fromEntries(settings.map((r) => [r.name, r.unit ? `${r.setting} × ${r.unit}` : r.setting])),
    location,
  };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid url)';
  }
}
