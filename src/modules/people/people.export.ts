/**
 * Exports of people: a CSV of a search (as Excel in Japan opens it: UTF-8 with BOM, or CP932)
 * and one person's complete record for a data-subject access request. Both are audited.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../../platform/db/client.js';
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

/** A person as cells: the birth year as a number, everything else as text (the writer neutralises it). */
function csvRow(p: PersonView): ExportCell[] {
  const linksText = p.links.map((l) => `${l.municipalityCode}:${l.kind}`).join(' ');
  return COLUMNS.map(([key]) => {
    const value = key === 'linksText' ? linksText : p[key];
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
  async function* rows() {
    yield COLUMNS.map(([, header]) => header);
    // Keyset pages in id order: each page starts where the last ended, however far into the list.
    let afterId: string | undefined;
    for (let written = 0; written < Math.min(total, EXPORT_LIMIT); ) {
      const limit = Math.min(PAGE, Math.min(total, EXPORT_LIMIT) - written);
      const items = await peopleInIdOrder(db, ctx, filter, { afterId, limit });
      if (!items.length) break;
      for (const p of items) yield csvRow(p);
      written += items.length;
      afterId = items.at(-1)!.id;
    }
  }
  return csvStream(rows(), { encoding });
}
