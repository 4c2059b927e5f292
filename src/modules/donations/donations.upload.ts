/**
 * Uploaded files go to a temporary file first, streamed (never held in memory), hashed and
 * followed by the encoding sniffer on the way. Only then, with the whole file checked and the
 * request's fields known, does the import start — so a slow upload never holds a transaction
 * open, and a file in no encoding we can read is refused before anything is written.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
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

/** Writes the stream to a new temporary file, inspecting it on the way. The caller removes the file. */
export async function spoolUpload(stream: NodeJS.ReadableStream): Promise<InspectedFile> {
  const file = path.join(os.tmpdir(), `kankei-upload-${randomBytes(12).toString('hex')}.csv`);
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
