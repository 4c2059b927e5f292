/**
 * Benchmark settings, read once from the environment. Every knob has a default so that
 * `npm run bench` alone reproduces the published figures.
 */
import type { DriverName } from '../../src/platform/db/client.js';

export type BenchConfig = {
  /** Duration of each throughput phase (BENCH_SECONDS, default 10). */
  seconds: number;
  /** Synthetic people bulk-loaded before the search phases (BENCH_PEOPLE, default 100000). */
  people: number;
  /** Drivers to run (BENCH_ONLY=pglite|postgres narrows to one). */
  drivers: DriverName[];
  /** Concurrent HTTP connections / in-process workers per driver (BENCH_CONNECTIONS overrides both). */
  connections: Record<DriverName, number>;
  /**
   * BENCH_KEEP_PEOPLE=1: the PostgreSQL people suite keeps its database (`kankei_bench_people_<N>`)
   * and its bulk-loaded people for the next run with the same BENCH_PEOPLE, which then skips the
   * load (ten million people take most of an hour to load on 2 cores). Drop it by hand when done.
   */
  keepPeople: boolean;
  /** Sequential samples per search term for the latency table (BENCH_SAMPLES, default 30). */
  samples: number;
  /** Server used for the PostgreSQL runs; a fresh database is created on it and dropped afterwards. */
  postgresUrl: string;
  /** Search latency target on PostgreSQL (median, ms). */
  searchTargetMs: number;
};

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

export function readConfig(): BenchConfig {
  const only = process.env.BENCH_ONLY?.trim().toLowerCase();
  if (only && only !== 'pglite' && only !== 'postgres')
    throw new Error(`BENCH_ONLY must be pglite or postgres, got "${only}"`);
  const connections = process.env.BENCH_CONNECTIONS ? Math.round(positiveNumber('BENCH_CONNECTIONS', 10)) : undefined;
  return {
    seconds: positiveNumber('BENCH_SECONDS', 10),
    people: Math.round(positiveNumber('BENCH_PEOPLE', 100_000)),
    drivers: only ? [only as DriverName] : ['pglite', 'postgres'],
    // PGlite is one embedded connection: requests queue on its mutex, so a few in flight keep
    // it busy and more only add queueing latency. PostgreSQL gets one per pool connection.
    connections: { pglite: connections ?? 4, postgres: connections ?? 10 },
    samples: Math.round(positiveNumber('BENCH_SAMPLES', 30)),
    keepPeople: process.env.BENCH_KEEP_PEOPLE === '1',
    postgresUrl:
      process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    searchTargetMs: 50,
  };
}
