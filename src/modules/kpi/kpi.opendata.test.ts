import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadYamagataMunicipalities } from '../places/index.js';
import {
  isLocalGovernmentCode,
  localGovernmentCheckDigit,
  OPEN_DATA_HEADERS,
  type OpenDataFigure,
  openDataCsv,
  openDataFileName,
  openDataRows,
  prefectureLocalGovernmentCode,
} from './kpi.opendata.js';

const places = { municipalities: loadYamagataMunicipalities() };

const movers = (municipalityCode: string, fiscalYear: number, value: number | null): OpenDataFigure => ({
  municipalityCode,
  indicatorCode: 'uij_movers',
  label: 'UIJターン移住者数（県の相談窓口経由）',
  unit: '人',
  fiscalYear,
  value,
  isPeopleCount: true,
});
const ready = (municipalityCode: string, fiscalYear: number, value: number | null): OpenDataFigure => ({
  municipalityCode,
  indicatorCode: 'ready_organizations',
  label: '受入体制が整った地域・団体数',
  unit: '団体',
  fiscalYear,
  value,
  isPeopleCount: false,
});

function readCsv(file: Buffer): string[][] {
  // Strict CRLF: a file with bare LF between records would come back as one record.
  return parse(file.toString('utf8'), { bom: true, record_delimiter: '\r\n' });
}

describe('全国地方公共団体コード', () => {
  it('computes check digits as the MIC list has them, remainders 0 and 1 included', () => {
    expect(localGovernmentCheckDigit('06201')).toBe(4); // 山形市 062014
    expect(localGovernmentCheckDigit('06203')).toBe(1); // 鶴岡市 062031: remainder 0 → 11 → 1
    expect(localGovernmentCheckDigit('06209')).toBe(0); // 長井市 062090: remainder 1 → 10 → 0
    expect(localGovernmentCheckDigit('13101')).toBe(6); // 千代田区 131016
    expect(prefectureLocalGovernmentCode('06')).toBe('060003');
    expect(prefectureLocalGovernmentCode('13')).toBe('130001');
    for (const m of places.municipalities) expect(isLocalGovernmentCode(m.code), m.code).toBe(true);
    expect(isLocalGovernmentCode('062015')).toBe(false);
    expect(isLocalGovernmentCode('62014')).toBe(false);
  });
});

describe('open-data CSV', () => {
  const figures: OpenDataFigure[] = [
    movers('062022', 2024, 4), // 米沢市: below 10
    movers('062014', 2024, 30), // 山形市
    movers('060003', 2024, 46), // the prefecture
    movers('062031', 2024, 12), // 鶴岡市: the smallest other count, hidden with 米沢市
    movers('062014', 2025, 41),
    movers('062022', 2025, 15),
    movers('060003', 2025, 56),
    ready('062014', 2024, 3),
    ready('060003', 2024, null),
  ];

  it('writes UTF-8 with BOM, CRLF and the Japanese headers, one row per municipality × indicator × year', () => {
    const file = openDataCsv(figures, places);
    expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.toString('utf8')).toMatch(/\r\n$/);
    expect(file.toString('utf8').replaceAll('\r\n', '')).not.toContain('\n');
    const [header, ...rows] = readCsv(file);
    expect(header).toEqual([...OPEN_DATA_HEADERS]);
    expect(rows).toEqual([
      ['060003', '山形県', '', 'UIJターン移住者数（県の相談窓口経由）', '2024年度', '令和6年度', '46', '人', ''],
      ['062014', '山形県', '山形市', 'UIJターン移住者数（県の相談窓口経由）', '2024年度', '令和6年度', '30', '人', ''],
      [
        '062022',
        '山形県',
        '米沢市',
        'UIJターン移住者数（県の相談窓口経由）',
        '2024年度',
        '令和6年度',
        'X',
        '人',
        '秘匿',
      ],
      [
        '062031',
        '山形県',
        '鶴岡市',
        'UIJターン移住者数（県の相談窓口経由）',
        '2024年度',
        '令和6年度',
        'X',
        '人',
        '秘匿',
      ],
      ['060003', '山形県', '', 'UIJターン移住者数（県の相談窓口経由）', '2025年度', '令和7年度', '56', '人', ''],
      ['062014', '山形県', '山形市', 'UIJターン移住者数（県の相談窓口経由）', '2025年度', '令和7年度', '41', '人', ''],
      ['062022', '山形県', '米沢市', 'UIJターン移住者数（県の相談窓口経由）', '2025年度', '令和7年度', '15', '人', ''],
      ['060003', '山形県', '', '受入体制が整った地域・団体数', '2024年度', '令和6年度', '', '団体', 'データなし'],
      ['062014', '山形県', '山形市', '受入体制が整った地域・団体数', '2024年度', '令和6年度', '3', '団体', ''],
    ]);
  });

  it('hides a lone small count with nothing else when no prefecture total is published', () => {
    const rows = openDataRows([movers('062014', 2024, 30), movers('062022', 2024, 4)], places);
    expect(rows.map((r) => r.value)).toEqual([30, 'X']);
  });

  it('hides a prefecture figure below 10 even when it is the only one', () => {
    expect(openDataRows([movers('060003', 2026, 7)], places).map((r) => r.value)).toEqual(['X']);
  });

  it('keeps a label that starts like a formula from becoming one', () => {
    const [, row] = readCsv(openDataCsv([{ ...movers('062014', 2024, 30), label: '=1+1' }], places));
    expect(row![3]).toBe("'=1+1");
  });

  it('never publishes a count below 10, nor a column with exactly one hidden count under a shown total', () => {
    const codes = places.municipalities.slice(0, 8).map((m) => m.code);
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 10, max: 300 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.boolean(),
        (values, withTotal) => {
          const input = values.map((v, i) => movers(codes[i]!, 2025, v));
          const sum = values.reduce((a, b) => a + b, 0);
          if (withTotal) input.push(movers('060003', 2025, sum));
          const rows = openDataRows(input, places);
          for (const row of rows) if (typeof row.value === 'number') expect(row.value).toBeGreaterThanOrEqual(10);
          const hidden = rows.filter((r) => r.value === 'X').length;
          if (withTotal) expect(hidden).not.toBe(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a figure it cannot publish, naming it', () => {
    expect(() => openDataRows([movers('062015', 2024, 30)], places)).toThrow(/figure 1 .*062015.*check digit/);
    expect(() => openDataRows([movers('131016', 2024, 30)], places)).toThrow(/figure 1 .*places data/);
    expect(() => openDataRows([movers('062014', 2024, 30), movers('062014', 2024, 31)], places)).toThrow(
      /figure 2 .*given twice/,
    );
    expect(() => openDataRows([movers('062014', 2024, 2.5)], places)).toThrow(/whole number/);
    expect(() => openDataRows([movers('062014', 24, 3)], places)).toThrow(/fiscalYear/);
    expect(() =>
      openDataRows([movers('062014', 2024, 3), { ...ready('062022', 2024, 1), indicatorCode: 'uij_movers' }], places),
    ).toThrow(/figure 2 .*isPeopleCount/);
  });

  it('names the file by the prefecture’s code and the years covered', () => {
    expect(openDataFileName('06', [2025, 2024, 2026])).toBe('060003_kpi_2024-2026.csv');
    expect(openDataFileName('06', [2025])).toBe('060003_kpi_2025.csv');
  });
});
