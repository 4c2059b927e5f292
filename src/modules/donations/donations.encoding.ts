/**
 * The character encoding of an uploaded CSV, decided on the whole file before anything is read
 * into the database: UTF-8 with a BOM, UTF-8 (valid throughout), or CP932 (Shift_JIS as Windows
 * and Excel write it, valid throughout). A file that is none of these — UTF-16, binary, a mix,
 * or damaged — is refused with the line where it stops making sense; we never decode with a
 * guess that would turn names into mojibake.
 */
import type { Transform } from 'node:stream';
import iconv from 'iconv-lite';

export type FileEncoding = 'utf-8-bom' | 'utf-8' | 'cp932';

export type EncodingVerdict =
  | { ok: true; encoding: FileEncoding }
  | { ok: false; problem: 'encoding_utf16' | 'encoding_binary' | 'encoding_unknown'; params: { line: number } };

/** iconv-lite's replacement character and the C1 controls CP932 has no bytes for (0x80, 0xA0 quirks). */
const CP932_INVALID = /[\uFFFD\u0080-\u009F]/;

const countNewlines = (bytes: Uint8Array, end = bytes.length) => {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) n++;
  return n;
};

/** Offset of the first byte that breaks UTF-8 in `bytes` (leading continuation bytes skipped), or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && i < 3 && (bytes[i]! & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let j = 1; j <= need; j++) {
      if (i + j >= bytes.length) return -1; // continues in the next chunk
      if ((bytes[i + j]! & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return -1;
}

/**
 * Follows a file chunk by chunk (while it is being received) and, at the end, says which
 * encoding it is in. Keeps only a few counters: memory does not grow with the file.
 */
export class EncodingSniffer {
  private first: Uint8Array | null = null;
  private utf8: TextDecoder | null = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private cp932: ReturnType<typeof iconv.getDecoder> | null = iconv.getDecoder('cp932');
  private lines = 0;
  /** The line on which each candidate failed (1-based). */
  private utf8FailedAt = 0;
  private cp932FailedAt = 0;
  private nulAt = 0;

  write(chunk: Uint8Array): void {
    if (!this.first) this.first = chunk.subarray(0, 4);
    else if (this.first.length < 4) this.first = Buffer.concat([this.first, chunk.subarray(0, 4 - this.first.length)]);
    if (!this.nulAt) {
      const nul = chunk.indexOf(0);
      if (nul >= 0) this.nulAt = this.lines + countNewlines(chunk, nul) + 1;
    }
    if (this.utf8) {
      try {
        this.utf8.decode(chunk, { stream: true });
      } catch {
        this.utf8 = null;
        const at = firstInvalidUtf8(chunk);
        this.utf8FailedAt = this.lines + (at >= 0 ? countNewlines(chunk, at) : 0) + 1;
      }
    }
    if (this.cp932) {
      const text = this.cp932.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      const bad = text.search(CP932_INVALID);
      if (bad >= 0) {
        this.cp932 = null;
        this.cp932FailedAt = this.lines + (text.slice(0, bad).match(/\n/g)?.length ?? 0) + 1;
      }
    }
    this.lines += countNewlines(chunk);
  }

  end(): EncodingVerdict {
    const head = this.first ?? new Uint8Array();
    if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) {
      return { ok: false, problem: 'encoding_utf16', params: { line: 1 } };
    }
    if (this.nulAt) return { ok: false, problem: 'encoding_binary', params: { line: this.nulAt } };
    if (this.utf8) {
      try {
        this.utf8.decode();
      } catch {
        this.utf8 = null;
        this.utf8FailedAt = this.lines + 1;
      }
    }
    const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    if (this.utf8) return { ok: true, encoding: bom ? 'utf-8-bom' : 'utf-8' };
    if (!bom && this.cp932) {
      const rest = this.cp932.end() ?? '';
      if (!CP932_INVALID.test(rest)) return { ok: true, encoding: 'cp932' };
      this.cp932FailedAt = this.lines + 1;
    }
    // Neither: point at the later failure, i.e. the encoding the file most looked like.
    return {
      ok: false,
      problem: 'encoding_unknown',
      params: { line: bom ? this.utf8FailedAt : Math.max(this.utf8FailedAt, this.cp932FailedAt) },
    };
  }
}

/** Encoding of a whole file held in memory (tests, small files). */
export function detectEncoding(bytes: Uint8Array, chunkSize = 64 * 1024): EncodingVerdict {
  const sniffer = new EncodingSniffer();
  for (let i = 0; i < bytes.length; i += chunkSize) sniffer.write(bytes.subarray(i, i + chunkSize));
  return sniffer.end();
}

/** A stream decoding CP932 bytes to text (UTF-8 files go to the CSV parser as they are). */
export function decodeStream(encoding: 'cp932'): Transform {
  return iconv.decodeStream(encoding) as unknown as Transform;
}
