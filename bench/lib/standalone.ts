/**
 * One suite run on its own (`npx tsx bench/<suite>.ts`): the PostgreSQL server `npm run bench`
 * would use (BENCH_DATABASE_URL / TEST_DATABASE_URL, or a private cluster with
 * BENCH_POSTGRES=private), its figures printed one per line, and everything it created removed —
 * on success, on failure and on Ctrl-C.
 */
import { pathToFileURL } from 'node:url';
import { Cleanup } from './cleanup.js';
import { readConfig } from './config.js';
import { closeHttpAgent } from './http.js';
import { benchPostgresUrl } from './private-postgres.js';

export type Log = (message: string) => void;

/** True when `moduleUrl` (the caller's import.meta.url) is the script node was started with. */
export const isMainModule = (moduleUrl: string) => moduleUrl === pathToFileURL(process.argv[1] ?? '').href;

export function runStandalone(
  suite: (databaseUrl: string, cleanup: Cleanup, log: Log) => Promise<Record<string, number | string>>,
): void {
  const cleanup = new Cleanup();
  cleanup.installSignalHandlers();
  const log: Log = (m) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
  benchPostgresUrl(readConfig().postgresUrl, cleanup, log)
    .then((databaseUrl) => suite(databaseUrl, cleanup, log))
    .then((figures) => {
      for (const [k, v] of Object.entries(figures)) console.log(`  ${k}: ${v}`);
    })
    .finally(async () => {
      closeHttpAgent();
      await cleanup.runAll();
    })
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
