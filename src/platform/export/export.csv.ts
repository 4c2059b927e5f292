/**
 * The one CSV writer of Kankei: every CSV a user downloads is written here, so that no export can
 * forget to neutralise formulas (export.cells.ts). Files are as Excel in Japan opens them: CRLF
 * records, RFC 4180 quoting, and UTF-8 with a BOM (without it Excel guesses CP932) or CP932
 * (Shift_JIS with Microsoft's extensions) for older Excel.
 */
import { PassThrough, Readable, pipeline, type Transform } from 'node:stream';
import { stringify as stringifyStream, type Options } from 'csv-stringify';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { exportNumber, neutraliseCellText, type ExportCell } from './export.cells.js';

/** utf8: UTF-8 with BOM; sjis: CP932, where characters it lacks (emoji, rare kanji) become "?". */
export type CsvEncoding = 'utf8' | 'sjis';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

const CSV_OPTIONS: Options = {
  record_delimiter: 'windows',
  // Fields holding a comma, quote or line break are quoted anyway; these are quoted too, so that
  // a spreadsheet splitting on ";" (a European list separator) or tabs cannot start a new cell
  // in the middle of a value — where a formula would no longer be the start of our cell.
  quoted_match: /[;\t]/,
};

/** The Content-Type of a CSV in that encoding. */
export function csvContentType(encoding: CsvEncoding): string {
  return `text/csv; charset=${encoding === 'sjis' ? 'Shift_JIS' : 'utf-8'}`;
}

/** One cell as CSV text: numbers as digits, text neutralised, nothing as an empty field. */
export function csvCell(cell: ExportCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return String(exportNumber(cell) ?? '');
  // String(): a value that is not a string at run time (typed loosely upstream) is text too.
  return neutraliseCellText(String(cell));
}

const csvRecord = (record: readonly ExportCell[]): string[] => record.map(csvCell);

/** A whole CSV file in memory, for exports of bounded size. */
export function csvFile(records: Iterable<readonly ExportCell[]>, options: { encoding?: CsvEncoding } = {}): Buffer {
  const text = stringify(Array.from(records, csvRecord), CSV_OPTIONS);
  if (options.encoding === 'sjis') return iconv.encode(text, 'cp932');
  return Buffer.concat([UTF8_BOM, Buffer.from(text, 'utf8')]);
}

/**
 * A CSV file as a stream, pulling records as it is read (memory stays flat for large exports). An
 * error while producing records destroys the stream, so the download fails instead of hanging.
 */
export function csvStream(
  records: Iterable<readonly ExportCell[]> | AsyncIterable<readonly ExportCell[]>,
  options: { encoding?: CsvEncoding } = {},
): Readable {
  async function* neutralised() {
    for await (const record of records) yield csvRecord(record);
  }
  const sjis = options.encoding === 'sjis';
  const csv = stringifyStream({ ...CSV_OPTIONS, bom: !sjis });
  // iconv-lite's stream is not a Node stream instance that Fastify recognizes; a PassThrough is.
  const out = new PassThrough();
  const done = (err: Error | null) => {
    if (err) out.destroy(err);
  };
  if (!sjis) {
    pipeline(Readable.from(neutralised()), csv, out, done);
    return out;
  }
  csv.setEncoding('utf8'); // the encoder takes strings, csv-stringify emits Buffers
  pipeline(Readable.from(neutralised()), csv, iconv.encodeStream('cp932') as unknown as Transform, out, done);
  return out;
}
