/**
 * Uploaded files go to a temporary file first, streamed (never held in memory), hashed and
 * followed by the encoding sniffer on the way. Only then, with the whole file checked and the
 * request's fields known, does the import start — so a slow upload never holds a transaction
 * open, and a file in no encoding we can read is refused before anything is written.
 *
 * A donor file is personal data (names, addresses, phones of thousands). It is written only into
 * Kankei's own upload folder (KANKEI_DATA_DIR/uploads: 0700, files 0600), removed when its request
 * ends in any way, and what a crash left behind is swept when Kankei starts again.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EncodingSniffer, type EncodingVerdict } from './donations.encoding.js';

export type InspectedFile = { path: string; bytes: number; sha256: string; verdict: EncodingVerdict };

function inspector() {
  const hash = createHash('sha256');
  const sniffer = new EncodingSniffer();
  let bytes = 0;
  return {
    write(chunk: Buffer) {
      hash.update(chunk);
      sniffer.write(chunk);
      bytes += chunk.length;
    },
    result: () => ({ bytes, sha256: hash.digest('hex'), verdict: sniffer.end() }),
  };
}

/** Upload files are named after the process writing them, so a start sweeps only what no running process owns. */
const UPLOAD_FILE = /^kankei-upload-(\d+)-[0-9a-f]+\.csv$/;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Creates the upload folder (owner only) and removes the upload files a crashed process left in
 * it. Files of another running Kankei sharing the folder stay; files named after this process's
 * own id are leftovers of an earlier one (in a container every start may get the same id).
 * Returns how many files were swept.
 */
export async function prepareUploadDir(dir: string): Promise<number> {
  await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 });
  await fs.promises.chmod(dir, 0o700);
  let swept = 0;
  for (const name of await fs.promises.readdir(dir)) {
    const owner = UPLOAD_FILE.exec(name)?.[1];
    if (!owner) continue;
    const pid = Number(owner);
    if (pid !== process.pid && isRunning(pid)) continue;
    await removeFile(path.join(dir, name));
    swept++;
  }
  return swept;
}

/** Writes the stream to a new file in `dir`, inspecting it on the way. The caller removes the file. */
export async function spoolUpload(stream: NodeJS.ReadableStream, dir: string): Promise<InspectedFile> {
  const file = path.join(dir, `kankei-upload-${process.pid}-${randomBytes(12).toString('hex')}.csv`);
  const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  const seen = inspector();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      seen.write(chunk);
      if (out.write(chunk)) callback();
      else out.once('drain', () => callback());
    },
    final(callback) {
      out.end(callback);
    },
  });
  out.on('error', (err) => sink.destroy(err));
  try {
    await pipeline(stream, sink);
  } catch (err) {
    out.destroy();
    await removeFile(file);
    throw err;
  }
  return { path: file, ...seen.result() };
}

/** Inspects a file already on disk (scripts, the benchmark). */
export async function inspectFile(file: string): Promise<InspectedFile> {
  const seen = inspector();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) seen.write(chunk as Buffer);
  return { path: file, ...seen.result() };
}

export async function removeFile(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
}
