/**
 * COPY FROM STDIN in text format for the benchmarks' bulk loads: lines (tab-separated, \N for
 * null) streamed through one pooled client in chunks of 5,000, so memory stays flat whatever the
 * number of rows.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** Copies `lines` into `target` (a table, optionally with its column list); answers the line count. */
export async function copyLines(client: pg.PoolClient, target: string, lines: Iterable<string>): Promise<number> {
  let count = 0;
  function* chunks() {
    let chunk: string[] = [];
    for (const line of lines) {
      chunk.push(line);
      count++;
      if (chunk.length === 5000) {
        yield Buffer.from(`${chunk.join('\n')}\n`, 'utf8');
        chunk = [];
      }
    }
    if (chunk.length) yield Buffer.from(`${chunk.join('\n')}\n`, 'utf8');
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy ${target} from stdin`)));
  return count;
}
