/**
 * The real command as an operator runs it: `kankei serve` in a child process on a loopback port
 * the system picks, resolved once it prints the address it runs at.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export type ServeProcess = { child: ChildProcess; url: string; output: () => string };

/** How the server is started: the TypeScript sources through tsx (default), or a compiled CLI. */
export type ServeCommand = { cwd: string; nodeArgs: string[] };
const FROM_SOURCES: ServeCommand = { cwd: ROOT, nodeArgs: ['--import', 'tsx', 'src/cli.ts', 'serve'] };

/** Starts `kankei serve` with the environment given on top of this one (PORT 0, no DATABASE_URL). */
export function startServeProcess(
  env: Record<string, string>,
  command: ServeCommand = FROM_SOURCES,
): Promise<ServeProcess> {
  const child = spawn(process.execPath, command.nodeArgs, {
    cwd: command.cwd,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    // A cold start (tsx compiling, PGlite migrating) takes minutes on a busy two-core machine.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 180_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    };
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = out.match(/running at (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', onExit);
  });
}
