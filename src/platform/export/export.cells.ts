/**
 * Spreadsheet cells that cannot turn into formulas ("CSV injection", OWASP). Anyone can put text
 * into Kankei through the public sign-up; staff open the exports in Excel, where a cell such as
 * `=HYPERLINK("http://…"&A1,"詳細")` would run as a formula — leaking the neighbouring cells to
 * a stranger's server with one click, or worse through DDE. Every text cell of every CSV and .xlsx
 * Kankei writes goes through `neutraliseCellText`; numbers are written as numbers and need nothing.
 */

/**
 * The characters that make a spreadsheet read a cell as a formula, following OWASP's CSV
 * injection guidance (= + - @ TAB CR) and ASVS 5.0 V1.2.10 (NUL).
 *
 * The full-width forms ＝ ＋ － ＠ are included too. Staff in Japan use Japanese Excel, which
 * folds full-width digits and arithmetic operators typed into a cell to half-width; whether a
 * leading ＝ or ＋ then starts a formula — when typed, when a cell is re-confirmed (F2, Enter), or
 * when a CSV is opened — is described differently for different Excel builds, and we cannot test
 * every one. Kankei's own normalizers fold width (NFKC) too, so a full-width sign is one step away
 * from a half-width one. We therefore treat them as triggers: the price, an apostrophe before the
 * rare value that starts with a full-width sign, is small next to a formula in a staff workbook.
 */
export const FORMULA_TRIGGERS: ReadonlySet<string> = new Set([
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\0',
  '＝',
  '＋',
  '－',
  '＠',
]);

const WHITE_SPACE = /^\s$/u;

/** The prefix that marks a cell as text. Excel shows it; a program drops exactly one. */
export const TEXT_MARK = "'";

/**
 * Whether a spreadsheet could read the text as a formula: it starts with a trigger, or has one
 * right after leading white space (U+3000, the full-width space, included): an importer told to
 * trim spaces — LibreOffice's CSV dialog offers it next to "evaluate formulas" — would otherwise
 * be left with a formula. TAB and CR are both white space and triggers, so the white space is
 * walked character by character rather than trimmed (" \t" must count).
 */
export function startsLikeFormula(text: string): boolean {
  for (const char of text) {
    if (FORMULA_TRIGGERS.has(char)) return true;
    if (!WHITE_SPACE.test(char)) return false;
  }
  return false;
}

/**
 * The text as a cell no spreadsheet evaluates: a text that could start a formula gets one
 * leading apostrophe, the OWASP remedy. A text that already starts with an apostrophe gets one
 * too, so the rule is exactly invertible — `restoreCellText` drops one leading apostrophe, for
 * every text — and a value `'=…` typed by someone cannot pass for a neutralised `=…`.
 * Everything else is returned unchanged.
 */
export function neutraliseCellText(text: string): string {
  return text.startsWith(TEXT_MARK) || startsLikeFormula(text) ? `${TEXT_MARK}${text}` : text;
}

/** The original text of a cell written by `neutraliseCellText`: drops one leading apostrophe. */
export function restoreCellText(cell: string): string {
  return cell.startsWith(TEXT_MARK) ? cell.slice(TEXT_MARK.length) : cell;
}

/**
 * A value an export may put in a cell. Numbers are typed cells (in CSV, digits a spreadsheet
 * reads as a number), never text, so `-5` stays the number −5 without a prefix; anything meant as
 * text — a phone number such as `+81 90-…` included — is a string and is neutralised.
 */
export type ExportCell = string | number | null | undefined;

/** A finite number, or null: NaN and Infinity have no honest cell. */
export function exportNumber(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
