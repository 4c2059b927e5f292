/**
 * One process per embedded database folder. PGlite is PostgreSQL compiled into this process: two
 * processes opening one folder each think they own it and overwrite each other's pages, which
 * corrupts the database. So the folder gets a lock file beside it (`pglite.lock` next to `pglite/`,
 * outside the database's own files) holding the owner's process id, created
 * exclusively; a second server (or `kankei migrate` while a server runs) is refused with a message
 * saying which process holds it. A lock left by a process that no longer exists (killed, machine
 * restarted) is stale and is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DataFolderInUseError extends Error {
  constructor(
    readonly folder: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `Another Kankei process (pid ${pid}) is using the database folder ${folder}.\n` +
        'Stop it first (two processes on one embedded database folder would corrupt it), or set ' +
        'KANKEI_DATA_DIR to another folder.\n' +
        `If no Kankei process is running, delete ${lockFile} and start again.\n` +
        `別の Kankei プロセス（pid ${pid}）がデータフォルダ ${folder} を使用中です。そちらを停止してから起動してください。`,
    );
    this.name = 'DataFolderInUseError';
  }
}

/** Whether a process with this id exists (EPERM: it does, owned by another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const readPid = (file: string): number | null => {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/**
 * Takes the folder's lock for this process, or throws DataFolderInUseError. The answer releases
 * it (only if it is still ours); call it once the database is closed.
 */
export function lockDataFolder(folder: string): () => void {
  fs.mkdirSync(path.dirname(folder), { recursive: true });
  const lockFile = `${folder.replace(/[/\\]+$/, '')}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readPid(lockFile);
      if (holder !== null && holder !== process.pid && isRunning(holder)) {
        throw new DataFolderInUseError(folder, holder, lockFile);
      }
      // Stale (its process is gone, or the file is unreadable): take it over, once. If another
      // process takes it over at the same moment, the exclusive create above decides between us.
      if (attempt > 0) throw new DataFolderInUseError(folder, holder ?? 0, lockFile);
      fs.rmSync(lockFile, { force: true });
    }
  }
  return () => {
    if (readPid(lockFile) === process.pid) fs.rmSync(lockFile, { force: true });
  };
}
