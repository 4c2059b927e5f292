/**
 * Exports of people: a CSV of a search (as Excel in Japan opens it: UTF-8 with BOM, or CP932)
 * and one person's complete record for a data-subject access request. Both are audited. The CSV
 * reads as an office reads it: Japanese headers, municipalities by name with the link kind in
 * words (鶴岡市（関心）), times in Japan time (2026/12/02 08:28), never internal codes.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db/client.js';
import { municipalities } from '../../platform/places.tables.js';
import { formatTokyoDateTime } from '../../shared/dates.js';
import { LINK_KIND_LABELS_JA } from '../../shared/domain.js';
import type { StaffContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import type { ExportCell } from '../../platform/export/export.cells.js';
import { csvStream, type CsvEncoding } from '../../platform/export/export.csv.js';
import { countPeopleExactly, peopleInIdOrder, type PeopleFilter } from './people.service.js';
import type { PersonView } from './people.schemas.js';

const PAGE = 1000;
/** One export holds at most this many people; larger sets should be narrowed by filter. */
export const EXPORT_LIMIT = 100_000;

const COLUMNS: Array<[keyof PersonView | 'linksText', string]> = [
  // The record's number, so that a row can be found again in Kankei (not a code to read).
  ['id', 'ID'],
  ['name', '氏名'],
  ['kana', 'フリガナ'],
  ['email', 'メールアドレス'],
  ['phone', '電話番号'],
  ['postalCode', '郵便番号'],
  ['prefecture', '都道府県'],
  ['city', '市区町村'],
  ['birthYear', '生年'],
  ['linksText', '関係する市町村'],
  ['notes', 'メモ'],
  ['createdAt', '登録日時'],
];

/** Municipality names by code (the reference table; a few dozen rows a prefecture). */
export async function municipalityNames(db: Db): Promise<Map<string, string>> {
  const rows = await db.select({ code: municipalities.code, name: municipalities.name }).from(municipalities);
  return new Map(rows.map((r) => [r.code, r.name]));
}

/** Links in words: 鶴岡市（関心）、山形市（登録サポーター）. */
export function linksText(links: PersonView['links'], names: ReadonlyMap<string, string>): string {
  return links
    .map((l) => `${names.get(l.municipalityCode) ?? l.municipalityCode}（${LINK_KIND_LABELS_JA[l.kind]}）`)
    .join('、');
}

/** A person as cells: the birth year as a number, times in Japan time, everything else as text (the writer neutralises it). */
function csvRow(p: PersonView, names: ReadonlyMap<string, string>): ExportCell[] {
  return COLUMNS.map(([key]) => {
    if (key === 'linksText') return linksText(p.links, names);
    if (key === 'createdAt' || key === 'updatedAt') return formatTokyoDateTime(p[key]);
    const value = p[key];
    return value === null || value === undefined || typeof value === 'number' ? value : String(value);
  });
}

/**
 * Streams the people matching `filter` as CSV through the shared writer (formula-like text
 * neutralised). Pages through the result so memory stays flat; CP932 cannot hold every character
 * (emoji, some rare kanji) — those become "?", which is what Excel users choosing Shift_JIS
 * expect; UTF-8 with BOM keeps everything.
 */
export async function exportPeopleCsv(
  db: Db,
  ctx: StaffContext,
  filter: PeopleFilter,
  encoding: CsvEncoding,
): Promise<Readable> {
  const total = await countPeopleExactly(db, ctx, filter);
  await recordAudit(db, ctx, {
    action: 'people.export',
    entityType: 'person',
    details: {
      format: 'csv',
      encoding,
      rows: Math.min(total, EXPORT_LIMIT),
      hasQuery: Boolean(filter.q),
      municipality: filter.municipality ?? null,
    },
  });
  const names = await municipalityNames(db);
  async function* rows() {
    yield COLUMNS.map(([, header]) => header);
    // Keyset pages in id order: each page starts where the last ended, however far into the list.
    let afterId: string | undefined;
    for (let written = 0; written < Math.min(total, EXPORT_LIMIT); ) {
      const limit = Math.min(PAGE, Math.min(total, EXPORT_LIMIT) - written);
      const items = await peopleInIdOrder(db, ctx, filter, { afterId, limit });
      if (!items.length) break;
      for (const p of items) yield csvRow(p, names);
      written += items.length;
      afterId = items.at(-1)!.id;
    }
  }
  return csvStream(rows(), { encoding });
}
