import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataFolderInUseError, lockDataFolder } from './data-lock.js';

describe('the embedded database folder lock', () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-lock-'));
    dirs.push(dir);
    return path.join(dir, 'pglite');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes this process id beside the folder and removes it on release', () => {
    const dir = folder();
    const release = lockDataFolder(dir);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
    // Outside the database's own folder: PGlite finds nothing of ours among its files.
    expect(fs.existsSync(dir)).toBe(false);
    release();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });

  it('refuses a folder another running process holds, naming its pid; takes the lock over once that process is gone', async () => {
    const dir = folder();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => other.on('exit', resolve));
    try {
      fs.mkdirSync(path.dirname(dir), { recursive: true });
      fs.writeFileSync(`${dir}.lock`, `${other.pid}\n`);
      let refused: unknown;
      try {
        lockDataFolder(dir);
      } catch (err) {
        refused = err;
      }
      expect(refused).toBeInstanceOf(DataFolderInUseError);
      expect((refused as Error).message).toContain(`pid ${other.pid}`);
      expect((refused as Error).message).toContain(dir);
      // The holder's lock is left alone.
      expect(fs.readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(other.pid));
    } finally {
      other.kill();
      await exited;
    }
    // Its process is gone: the lock is stale and taken over.
    const release = lockDataFolder(dir);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
    release();
  });

  it('takes over an unreadable lock (a crash while writing it)', () => {
    const dir = folder();
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.writeFileSync(`${dir}.lock`, '');
    const release = lockDataFolder(dir);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
    release();
  });
});
