/**
 * The one .xlsx writer of Kankei. A string cell in a workbook is not evaluated when the file
 * opens, but it is as soon as someone edits and confirms it, and converting the sheet to CSV
 * writes it raw; so text is neutralised exactly as in CSV (export.cells.ts). Cells are only ever
 * strings, numbers or empty — never ExcelJS formula, hyperlink or rich-text objects.
 */
import ExcelJS from 'exceljs';
import { exportNumber, neutraliseCellText, type ExportCell } from './export.cells.js';

export type XlsxColumn = {
  header: string;
  /** Column width in characters (default 14). */
  width?: number;
  /** Excel number format for the numbers of this column, e.g. `#,##0` or `0.0%`. */
  numFmt?: string;
};
export type XlsxSheet = { name: string; columns: XlsxColumn[]; rows: ReadonlyArray<readonly ExportCell[]> };
export type XlsxWorkbook = { title?: string; created?: Date; sheets: XlsxSheet[] };

/** One cell as an ExcelJS value: a number, neutralised text, or empty. */
export function xlsxCell(cell: ExportCell): string | number | null {
  if (cell === null || cell === undefined) return null;
  if (typeof cell === 'number') return exportNumber(cell);
  return neutraliseCellText(String(cell));
}

/**
 * A workbook with one sheet per table: a bold header row frozen at the top, column widths, number
 * formats on the numeric cells, and an auto-filter when the sheet has rows.
 */
export async function xlsxFile(book: XlsxWorkbook): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Kankei';
  if (book.created) workbook.created = book.created;
  if (book.title) workbook.title = book.title;
  for (const table of book.sheets) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.columns.map((c) => xlsxCell(c.header))).font = { bold: true };
    table.columns.forEach((c, i) => {
      sheet.getColumn(i + 1).width = c.width ?? 14;
    });
    for (const row of table.rows) {
      const added = sheet.addRow(row.map(xlsxCell));
      table.columns.forEach((c, i) => {
        const cell = added.getCell(i + 1);
        if (c.numFmt && typeof cell.value === 'number') cell.numFmt = c.numFmt;
      });
    }
    if (table.rows.length)
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: table.columns.length } };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
