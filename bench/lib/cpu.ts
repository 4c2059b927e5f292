/**
 * CPU time spent on a phase's work, by this process and by the PostgreSQL backends of its database.
 *
 * On a shared machine wall-clock figures move with whatever else runs; CPU seconds move far less
 * (a busy neighbour costs some cache misses, not queueing). CPU per operation therefore says what a
 * quiet machine could do: with C cores, at most C × 1000 / (ms per operation) operations per
 * second, if nothing else ran — the "ceiling" the report prints beside the measured rate.
 *
 * The backends are read from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms), so this
 * works only when PostgreSQL runs on this machine (the bench's default); elsewhere `database` is
 * null. WAL writer, checkpointer and autovacuum are not counted (they are not per request).
 */
import fs from 'node:fs';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../src/platform/db/client.js';

const TICK_MS = 10; // sysconf(_SC_CLK_TCK) is 100 on Linux

export type CpuSnapshot = { processMs: number; backends: Map<number, number> | null };
export type CpuUse = { processMs: number; databaseMs: number | null };

function procCpuMs(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

async function backendPids(db: Db): Promise<number[]> {
  const rows = await queryRows<{ pid: number }>(
    db,
    sql`select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
  );
  return rows.map((r) => r.pid);
}

export async function cpuSnapshot(db: Db, driver: string): Promise<CpuSnapshot> {
  const usage = process.cpuUsage();
  const processMs = (usage.user + usage.system) / 1000;
  if (driver !== 'postgres' || os.platform() !== 'linux') return { processMs, backends: null };
  const backends = new Map<number, number>();
  for (const pid of await backendPids(db)) {
    const ms = procCpuMs(pid);
    if (ms === null) return { processMs, backends: null }; // not on this machine
    backends.set(pid, ms);
  }
  return { processMs, backends };
}

/** CPU used since `before`; backends that connected in between count from zero. */
export async function cpuSince(db: Db, driver: string, before: CpuSnapshot): Promise<CpuUse> {
  const after = await cpuSnapshot(db, driver);
  let databaseMs: number | null = null;
  if (before.backends && after.backends) {
    databaseMs = 0;
    for (const [pid, ms] of after.backends) databaseMs += ms - (before.backends.get(pid) ?? 0);
  }
  return { processMs: after.processMs - before.processMs, databaseMs };
}
