/**
 * The KPI figures as open data (オープンデータ): one CSV row per municipality × indicator × fiscal
 * year, in the shape Japanese open-data portals expect — UTF-8 with BOM, CRLF, Japanese headers,
 * the 全国地方公共団体コード (six digits with the check digit) first. Counts of people go through
 * the disclosure control of kpi.suppression.ts: below 10, or able to reveal one that is, they are
 * published as `X`. Pure: takes plain figures, returns the file; written by the shared CSV writer.
 */
import { csvFile } from '../../platform/export/export.csv.js';
import type { ExportCell } from '../../platform/export/export.cells.js';
import { PREFECTURES } from '../../shared/domain.js';
import { fiscalYearWareki } from '../../shared/wareki.js';
import { HIDDEN_MARK, type SuppressedValue, suppressCounts } from './kpi.suppression.js';

/** One figure to publish. */
export type OpenDataFigure = {
  /**
   * 全国地方公共団体コード of the municipality (062014), or of the prefecture (060003) for the
   * prefecture-wide figure — which need not be the sum of the municipalities' (a person counted
   * in two municipalities counts once for the prefecture).
   */
  municipalityCode: string;
  indicatorCode: string;
  /** The indicator as the public reads it (関係人口の創出数). */
  label: string;
  /** 人, 団体, 件 … */
  unit: string;
  fiscalYear: number;
  /** null: no data for this year (the indicator is not computed yet) — never published as 0. */
  value: number | null;
  /** Counts of people are suppressed below 10; other figures (organizations, shares) are not. */
  isPeopleCount: boolean;
};

/** A municipality as the places data names it. */
export type OpenDataPlace = { code: string; name: string };

export const OPEN_DATA_HEADERS = [
  '全国地方公共団体コード',
  '都道府県名',
  '市区町村名',
  '指標',
  '年度',
  '年度（和暦）',
  '値',
  '単位',
  '備考',
] as const;

const NOTE_HIDDEN = '秘匿';
const NOTE_NO_DATA = 'データなし';

/** The check digit of a five-digit local government code (JIS X 0402, modulus 11). */
export function localGovernmentCheckDigit(fiveDigits: string): number {
  if (!/^\d{5}$/.test(fiveDigits)) throw new RangeError(`not a five-digit local government code: ${fiveDigits}`);
  const sum = [...fiveDigits].reduce((s, d, i) => s + Number(d) * (6 - i), 0);
  return (11 - (sum % 11)) % 10;
}

/** Whether `code` is a six-digit 全国地方公共団体コード whose check digit is right. */
export function isLocalGovernmentCode(code: string): boolean {
  return /^\d{6}$/.test(code) && localGovernmentCheckDigit(code.slice(0, 5)) === Number(code[5]);
}

/** The prefecture's own code: 06 → 060003. */
export function prefectureLocalGovernmentCode(prefectureCode: string): string {
  const five = `${prefectureCode}000`;
  return `${five}${localGovernmentCheckDigit(five)}`;
}

/** 山形県 for a code of Yamagata or of one of its municipalities. */
export function prefectureNameOf(code: string): string {
  const name = PREFECTURES[Number(code.slice(0, 2)) - 1];
  if (!name) throw new RangeError(`no prefecture has the code ${code.slice(0, 2)}`);
  return name;
}

/** 2025年度 */
export function fiscalYearLabel(fiscalYear: number): string {
  return `${fiscalYear}年度`;
}

export type OpenDataRow = {
  code: string;
  prefectureName: string;
  /** Empty for the prefecture-wide figure. */
  municipalityName: string;
  label: string;
  fiscalYear: number;
  /** The number to publish, `X` when hidden, null when there is no data. */
  value: number | typeof HIDDEN_MARK | null;
  unit: string;
};

const isPrefectureCode = (code: string) => code.slice(2, 5) === '000';

/**
 * The rows of the open-data file, in order: indicators as first given, fiscal years ascending,
 * the prefecture's figure first and then the municipalities by code. Refuses bad figures with an
 * error naming the figure (its position, 1-based, and its code).
 */
export function openDataRows(
  figures: readonly OpenDataFigure[],
  places: { municipalities: readonly OpenDataPlace[] },
): OpenDataRow[] {
  const names = new Map(places.municipalities.map((m) => [m.code, m.name]));
  const seen = new Set<string>();
  const indicatorKind = new Map<string, { isPeopleCount: boolean; order: number }>();
  figures.forEach((f, n) => {
    const where = `figure ${n + 1} (${f.indicatorCode}, ${f.municipalityCode}, FY${f.fiscalYear})`;
    if (!isLocalGovernmentCode(f.municipalityCode))
      throw new RangeError(`${where}: municipalityCode is not a 全国地方公共団体コード with its check digit`);
    if (!isPrefectureCode(f.municipalityCode) && !names.has(f.municipalityCode))
      throw new RangeError(`${where}: municipalityCode is not a municipality of the places data`);
    prefectureNameOf(f.municipalityCode);
    if (!Number.isInteger(f.fiscalYear) || f.fiscalYear < 1989 || f.fiscalYear > 2999)
      throw new RangeError(`${where}: fiscalYear must be a year such as 2025`);
    if (!f.indicatorCode || !f.label.trim() || !f.unit.trim())
      throw new RangeError(`${where}: indicatorCode, label and unit are required`);
    if (f.value !== null && !Number.isFinite(f.value)) throw new RangeError(`${where}: value must be a number or null`);
    if (f.isPeopleCount && f.value !== null && !(Number.isInteger(f.value) && f.value >= 0))
      throw new RangeError(`${where}: a count of people must be a whole number ≥ 0`);
    const kind = indicatorKind.get(f.indicatorCode);
    if (kind && kind.isPeopleCount !== f.isPeopleCount)
      throw new RangeError(`${where}: isPeopleCount differs from the indicator's other figures`);
    if (!kind) indicatorKind.set(f.indicatorCode, { isPeopleCount: f.isPeopleCount, order: indicatorKind.size });
    const key = `${f.indicatorCode}|${f.fiscalYear}|${f.municipalityCode}`;
    if (seen.has(key)) throw new RangeError(`${where}: given twice`);
    seen.add(key);
  });

  const hidden = hiddenFigures(figures);
  return [...figures]
    .sort(
      (a, b) =>
        indicatorKind.get(a.indicatorCode)!.order - indicatorKind.get(b.indicatorCode)!.order ||
        a.fiscalYear - b.fiscalYear ||
        Number(isPrefectureCode(b.municipalityCode)) - Number(isPrefectureCode(a.municipalityCode)) ||
        a.municipalityCode.localeCompare(b.municipalityCode),
    )
    .map((f) => ({
      code: f.municipalityCode,
      prefectureName: prefectureNameOf(f.municipalityCode),
      municipalityName: isPrefectureCode(f.municipalityCode) ? '' : names.get(f.municipalityCode)!,
      label: f.label,
      fiscalYear: f.fiscalYear,
      value: f.value === null ? null : hidden.has(f) ? HIDDEN_MARK : f.value,
      unit: f.unit,
    }));
}

/**
 * The counts of people to hide. Each indicator × fiscal year is one column: the municipalities'
 * counts, with the prefecture's figure as its total when published. Figures without data are not
 * published and take no part (fewer published values never protect less).
 */
function hiddenFigures(figures: readonly OpenDataFigure[]): Set<OpenDataFigure> {
  const groups = new Map<string, { cells: OpenDataFigure[]; total: OpenDataFigure | null }>();
  for (const f of figures) {
    if (!f.isPeopleCount || f.value === null) continue;
    const key = `${f.indicatorCode}|${f.fiscalYear}|${f.municipalityCode.slice(0, 2)}`;
    const group = groups.get(key) ?? { cells: [], total: null };
    if (isPrefectureCode(f.municipalityCode)) group.total = f;
    else group.cells.push(f);
    groups.set(key, group);
  }
  const hidden = new Set<OpenDataFigure>();
  const mark = (f: OpenDataFigure, v: SuppressedValue) => {
    if (v.suppression) hidden.add(f);
  };
  for (const { cells, total } of groups.values()) {
    if (cells.length === 0) {
      if (total) mark(total, suppressCounts({ cells: [[total.value!]] }).cells[0]![0]!);
      continue;
    }
    const table = suppressCounts({
      cells: cells.map((f) => [f.value!]),
      columnTotals: total ? [total.value!] : null,
    });
    cells.forEach((f, i) => {
      mark(f, table.cells[i]![0]!);
    });
    if (total) mark(total, table.columnTotals![0]!);
  }
  return hidden;
}

/** The open-data CSV: UTF-8 with BOM, CRLF, the headers of OPEN_DATA_HEADERS. */
export function openDataCsv(
  figures: readonly OpenDataFigure[],
  places: { municipalities: readonly OpenDataPlace[] },
): Buffer {
  const records: ExportCell[][] = [[...OPEN_DATA_HEADERS]];
  for (const row of openDataRows(figures, places)) {
    records.push([
      row.code,
      row.prefectureName,
      row.municipalityName,
      row.label,
      fiscalYearLabel(row.fiscalYear),
      fiscalYearWareki(row.fiscalYear),
      row.value,
      row.unit,
      row.value === HIDDEN_MARK ? NOTE_HIDDEN : row.value === null ? NOTE_NO_DATA : '',
    ]);
  }
  return csvFile(records);
}

/** 060003_kpi_2024-2026.csv: the prefecture's code, then the fiscal years covered. */
export function openDataFileName(prefectureCode: string, fiscalYears: readonly number[]): string {
  if (fiscalYears.length === 0) throw new RangeError('open-data file name: no fiscal year');
  const from = Math.min(...fiscalYears);
  const to = Math.max(...fiscalYears);
  return `${prefectureLocalGovernmentCode(prefectureCode)}_kpi_${from === to ? from : `${from}-${to}`}.csv`;
}
