import { buffer } from 'node:stream/consumers';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { restoreCellText, type ExportCell } from './export.cells.js';
import { csvFile, csvStream } from './export.csv.js';
import { xlsxFile } from './export.xlsx.js';

/** Independent of the implementation: what a spreadsheet could take for the start of a formula. */
const LOOKS_LIKE_FORMULA = /^\s*[=+\-@\t\r\0＝＋－＠]/u;

/** Characters CP932 holds, with the triggers, quotes, separators and line breaks a CSV must survive. */
const CP932_CHARS = [...'=+-@＝＋－＠\'" ,;\t\r\n　aZ09山形花子やまがたヤマガタｱ髙①'];
const cp932Text = fc.string({ unit: fc.constantFrom(...CP932_CHARS), maxLength: 12 });
const anyText = fc.oneof(cp932Text, fc.string({ unit: 'grapheme', maxLength: 12 }));
// -0 is written as 0, which is the same number in every spreadsheet.
const number = fc
  .oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.double({ noNaN: true, noDefaultInfinity: true }))
  .map((n) => (n === 0 ? 0 : n));
/** Any code points, often after a trigger, white space or a character CP932 lacks (− U+2212, emoji). */
const anyStart = fc
  .tuple(
    fc.array(fc.constantFrom(...'=+-@＝＋－＠\t\r\0 　\u2212😀\uFEFF'), { maxLength: 3 }),
    fc.string({ unit: 'binary', maxLength: 10 }),
  )
  .map(([start, rest]) => start.join('') + rest);
const records = (text: fc.Arbitrary<string>) =>
  fc.array(fc.array(fc.oneof(text, number, fc.constant(null)), { minLength: 1, maxLength: 5 }), {
    minLength: 1,
    maxLength: 6,
  });

/** The cells as a reader should get them back: text after dropping one apostrophe, numbers as written. */
const asRead = (cell: ExportCell) => (cell === null || cell === undefined ? '' : String(cell));

function readCsv(text: string): string[][] {
  // Strict CRLF: a writer using bare LF between records would come back as one record.
  return parse(text, { bom: true, record_delimiter: '\r\n', relax_column_count: true });
}

function expectReadBack(written: ExportCell[][], read: string[][]) {
  expect(read).toHaveLength(written.length);
  written.forEach((record, r) => {
    record.forEach((cell, c) => {
      const got = read[r]![c]!;
      if (typeof cell === 'number') expect(got).toBe(String(cell));
      else {
        expect(got).not.toMatch(LOOKS_LIKE_FORMULA);
        expect(restoreCellText(got)).toBe(asRead(cell));
      }
    });
  });
}

describe('CSV writer', () => {
  it('writes UTF-8 with BOM and CRLF records that read back neutralised and whole', () => {
    fc.assert(
      fc.property(records(anyText), (written) => {
        const file = csvFile(written);
        expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        expect(file.toString('utf8').endsWith('\r\n')).toBe(true);
        expectReadBack(written, readCsv(file.toString('utf8')));
      }),
      { numRuns: 500 },
    );
  });

  it('writes CP932 without BOM that reads back neutralised and whole', () => {
    fc.assert(
      fc.property(records(cp932Text), (written) => {
        const file = csvFile(written, { encoding: 'sjis' });
        expect([...file.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
        expectReadBack(written, readCsv(iconv.decode(file, 'cp932')));
      }),
      { numRuns: 500 },
    );
  });

  it('never lets CP932’s replacement of unknown characters bring a formula back', () => {
    fc.assert(
      fc.property(records(anyStart), (written) => {
        const read = readCsv(iconv.decode(csvFile(written, { encoding: 'sjis' }), 'cp932'));
        for (const [r, record] of written.entries()) {
          for (const [c, cell] of record.entries()) {
            if (typeof cell !== 'number') expect(read[r]![c]!).not.toMatch(LOOKS_LIKE_FORMULA);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('quotes a value holding ";" or a tab, so that no spreadsheet splits it into a new cell', () => {
    const text = csvFile([['a;=1+1', 'b\t=1+1', 'plain']]).toString('utf8');
    expect(text).toBe('\uFEFF"a;=1+1","b\t=1+1",plain\r\n');
  });

  it('streams exactly the bytes of the whole file, from sync and async sources, in both encodings', async () => {
    await fc.assert(
      fc.asyncProperty(
        records(cp932Text),
        fc.constantFrom('utf8', 'sjis') as fc.Arbitrary<'utf8' | 'sjis'>,
        async (written, encoding) => {
          async function* slowly() {
            for (const record of written) {
              await new Promise((resolve) => setImmediate(resolve));
              yield record;
            }
          }
          const whole = csvFile(written, { encoding });
          expect(await buffer(csvStream(written, { encoding }))).toEqual(whole);
          expect(await buffer(csvStream(slowly(), { encoding }))).toEqual(whole);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('fails the stream when the records fail, instead of ending a truncated file quietly', async () => {
    async function* failing() {
      yield ['one'];
      throw new Error('database went away');
    }
    await expect(buffer(csvStream(failing()))).rejects.toThrow('database went away');
    await expect(buffer(csvStream(failing(), { encoding: 'sjis' }))).rejects.toThrow('database went away');
  });
});

describe('xlsx writer', () => {
  /** XML 1.0 cannot hold most control characters, and XML readers turn CR into LF; Kankei refuses both on input. */
  const xlsxText = fc.string({
    unit: fc.constantFrom(...CP932_CHARS.filter((c) => c !== '\r'), '😀', 'é'),
    maxLength: 12,
  });

  it('writes text as neutralised string cells and numbers as numbers, never a formula', async () => {
    await fc.assert(
      fc.asyncProperty(records(xlsxText), async (rows) => {
        const width = Math.max(...rows.map((r) => r.length));
        const columns = Array.from({ length: width }, (_, i) => ({
          header: i === 0 ? '=見出し' : `列${i}`,
          numFmt: '#,##0',
        }));
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(
          (await xlsxFile({ sheets: [{ name: '表', columns, rows }] })) as unknown as ArrayBuffer,
        );
        const sheet = workbook.getWorksheet('表')!;
        expect(sheet.getCell('A1').value).toBe("'=見出し");
        for (const [r, record] of rows.entries()) {
          for (const [c, cell] of record.entries()) {
            const got = sheet.getRow(r + 2).getCell(c + 1);
            expect(got.type).not.toBe(ExcelJS.ValueType.Formula);
            if (cell === null) expect(got.value).toBeNull();
            else if (typeof cell === 'number') {
              expect(got.value).toBe(cell);
              expect(got.numFmt).toBe('#,##0');
            } else {
              expect(got.type).toBe(ExcelJS.ValueType.String);
              expect(got.value).not.toMatch(LOOKS_LIKE_FORMULA);
              expect(restoreCellText(got.value as string)).toBe(cell);
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
