/**
 * A PostgreSQL cluster of the benchmark's own (`BENCH_POSTGRES=private`): `initdb` into a temporary
 * folder, started on a free port of 127.0.0.1 with the server's default settings, stopped and
 * removed when the run ends. On a machine shared with other work the shared server's checkpoints
 * are forced by other databases — test runs creating and dropping databases, bulk loads going past
 * max_wal_size — and each one stalls every commit for a moment; a cluster of its own checkpoints
 * only for the benchmark's own WAL. CPU and disk are still shared, and the figures say so.
 *
 * Uses the server binaries of the installed PostgreSQL (Debian: /usr/lib/postgresql/<major>/bin).
 * PostgreSQL refuses to run as root; as root the cluster is created and run as the `postgres` user.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Cleanup } from './cleanup.js';

const run = promisify(execFile);

function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const majors = fs.existsSync(root)
    ? fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'bin', 'initdb')))
    : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest)
    throw new Error('BENCH_POSTGRES=private needs the PostgreSQL server binaries (Debian package postgresql)');
  return path.join(root, newest, 'bin');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the private cluster and answers its URL (database `postgres`, trust auth on 127.0.0.1). */
export async function startPrivatePostgres(cleanup: Cleanup, log: (message: string) => void): Promise<string> {
  const bin = serverBinaries();
  const asRoot = process.getuid?.() === 0;
  const as = async (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(bin, command), ...args])
      : run(path.join(bin, command), args);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-bench-pg-'));
  cleanup.add(`remove ${folder}`, () => fs.rmSync(folder, { recursive: true, force: true }));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(folder, Number(stdout.trim()), Number(gid.trim()));
  }
  const data = path.join(folder, 'data');
  await as('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const port = await freePort();
  await as('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(folder, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${folder}`,
    'start',
  ]);
  cleanup.add('stop the private PostgreSQL', async () => {
    await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  });
  const { stdout: version } = await as('postgres', ['--version']);
  log(`private PostgreSQL cluster (${version.trim()}) in ${folder}, port ${port}, default settings`);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/** The server the PostgreSQL suites use: a private cluster when BENCH_POSTGRES=private, else `sharedUrl`. */
export async function benchPostgresUrl(
  sharedUrl: string,
  cleanup: Cleanup,
  log: (message: string) => void,
): Promise<string> {
  const mode = process.env.BENCH_POSTGRES ?? 'shared';
  if (mode === 'shared') return sharedUrl;
  if (mode === 'private') return startPrivatePostgres(cleanup, log);
  throw new Error(`BENCH_POSTGRES must be shared or private, got "${mode}"`);
}
