/**
 * Streams the records of a donor CSV from disk: bytes → (CP932 decoding) → csv-parse, one record
 * at a time, so memory stays flat whatever the file size. Row numbers are the spreadsheet's: the
 * header is row 1, and a quoted cell with line breaks is still one row.
 */
import fs from 'node:fs';
import { parse, type Parser } from 'csv-parse';
import { AppError } from '../../platform/errors.js';
import type { FileEncoding } from './donations.encoding.js';
import { decodeStream } from './donations.encoding.js';

/** Longest record accepted; an unclosed quote would otherwise swallow the rest of the file. */
const MAX_RECORD_CHARS = 1_000_000;
export const MAX_COLUMNS = 200;

export type CsvRecord = { rowNumber: number; cells: string[] };

function openParser(path: string, encoding: FileEncoding): Parser {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    skip_empty_lines: false,
  });
  const source = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  const fail = (err: Error) => parser.destroy(err);
  source.on('error', fail);
  // The encoding was checked on the whole file before (EncodingSniffer), so decoding cannot fail.
  if (encoding === 'cp932') {
    const decoder = decodeStream('cp932');
    decoder.on('error', fail);
    source.pipe(decoder).pipe(parser);
  } else {
    source.pipe(parser);
  }
  parser.on('close', () => source.destroy());
  return parser;
}

/** csv-parse's errors as the file problem staff can act on (the line where reading stopped). */
function csvError(err: unknown, fallbackLine: number): AppError {
  const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : fallbackLine;
  return new AppError('VALIDATION', { fields: { file: { problem: 'csv_malformed', params: { line } } } });
}

/** Every record of the file in order, header included, with its row number. */
export async function* readCsvRecords(path: string, encoding: FileEncoding): AsyncGenerator<CsvRecord> {
  const parser = openParser(path, encoding);
  let rowNumber = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      rowNumber++;
      yield { rowNumber, cells };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    if ((err as { code?: string }).code?.startsWith('CSV_')) throw csvError(err, rowNumber + 1);
    throw err;
  } finally {
    parser.destroy();
  }
}

/**
 * The header row (the first record that is not blank) and the data records after it. The caller
 * iterates `records`; blank records (",,,,") are skipped but keep their row numbers counted.
 */
export async function openDonorCsv(path: string, encoding: FileEncoding) {
  const iterator = readCsvRecords(path, encoding);
  let header: CsvRecord | null = null;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    if (next.value.cells.some((c) => c.trim() !== '')) {
      header = next.value;
      break;
    }
  }
  if (!header) {
    await iterator.return(undefined);
    throw new AppError('VALIDATION', { fields: { file: { problem: 'empty_file' } } });
  }
  if (header.cells.length > MAX_COLUMNS) {
    await iterator.return(undefined);
    throw new AppError('VALIDATION', {
      fields: { file: { problem: 'too_many_columns', params: { max: MAX_COLUMNS } } },
    });
  }
  const headers = header.cells.map((h) => h.trim());
  async function* records(): AsyncGenerator<CsvRecord> {
    for await (const record of { [Symbol.asyncIterator]: () => iterator }) {
      if (record.cells.every((c) => c.trim() === '')) continue;
      yield record;
    }
  }
  return { headers, records: records(), close: () => iterator.return(undefined) };
}
