/**
 * Time-ordered UUIDs (version 7, RFC 9562) for rows an import inserts by the hundred thousand:
 * consecutive ids land on the same index pages instead of random ones, which keeps bulk inserts
 * into the primary-key indexes cheap. Still ordinary UUIDs for everything else.
 */
import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const pool = new Uint8Array(16 * 1024);
let poolOffset = pool.length;
let lastMs = 0;
let sequence = 0;

export function uuid7(now = Date.now()): string {
  if (poolOffset + 10 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // 48-bit milliseconds, then a 12-bit counter within the millisecond (monotonic in a process).
  if (now > lastMs) {
    lastMs = now;
    sequence = 0;
  } else if (++sequence > 0xfff) {
    lastMs++;
    sequence = 0;
  }
  const ms = lastMs;
  const b = pool.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  const hi = Math.floor(ms / 2 ** 16);
  const lo = ms % 2 ** 16;
  return (
    HEX[(hi >>> 24) & 0xff]! +
    HEX[(hi >>> 16) & 0xff]! +
    HEX[(hi >>> 8) & 0xff]! +
    HEX[hi & 0xff]! +
    '-' +
    HEX[(lo >>> 8) & 0xff]! +
    HEX[lo & 0xff]! +
    '-' +
    HEX[0x70 | (sequence >>> 8)]! +
    HEX[sequence & 0xff]! +
    '-' +
    HEX[0x80 | (b[0]! & 0x3f)]! +
    HEX[b[1]!]! +
    '-' +
    HEX[b[2]!]! +
    HEX[b[3]!]! +
    HEX[b[4]!]! +
    HEX[b[5]!]! +
    HEX[b[6]!]! +
    HEX[b[7]!]!
  );
}

/**
 * The id of the donation record an import creates from a row: the import's own id (a UUIDv7) with
 * its last 32 bits replaced by the row number — still a time-ordered UUIDv7 (RFC 9562 allows a
 * counter in the random bits), unique (the 42 random and counter bits left of the import id tell
 * imports apart), and in file order. This is what lets the row report store a run of imported
 * rows as one line: each row's record is found again by its id (`IMPORT_ENGAGEMENT_ID_SQL`).
 */
export function importEngagementId(importId: string, rowNumber: number): string {
  return importId.slice(0, 28) + (rowNumber >>> 0).toString(16).padStart(8, '0');
}

/** The lowest and highest id importEngagementId can give for this import. */
export function importEngagementIdRange(importId: string): [string, string] {
  return [`${importId.slice(0, 28)}00000000`, `${importId.slice(0, 28)}ffffffff`];
}

/** importEngagementId in SQL, for SQL expressions `importId` (uuid) and `rowNumber` (int). */
export const importEngagementIdSql = (importId: string, rowNumber: string) =>
  `(left((${importId})::text, 28) || lpad(to_hex(${rowNumber}), 8, '0'))::uuid`;
