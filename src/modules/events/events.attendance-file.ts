/**
 * The attendance list as a file for the office: .xlsx or CSV (UTF-8 with BOM, as Excel in Japan
 * opens it) through platform/export, with Japanese headers and labels and times in Japan time —
 * never internal codes. Built from the same attendance view the page shows.
 */
import type { ExportCell } from '../../platform/export/export.cells.js';
import { csvFile } from '../../platform/export/export.csv.js';
import { xlsxFile } from '../../platform/export/export.xlsx.js';
import type { AttendanceView } from './events.schemas.js';

export const ATTENDANCE_FORMATS = ['xlsx', 'csv'] as const;
export type AttendanceFormat = (typeof ATTENDANCE_FORMATS)[number];

export const ATTENDANCE_MEDIA_TYPES: Record<AttendanceFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

const HEADERS = [
  '氏名',
  'フリガナ',
  '申込',
  '申込の経路',
  'ブース',
  '枠の開始',
  '受付日時',
  '受付方法',
  '後日の相談記録',
];
const METHOD: Record<string, string> = { qr: 'QRコード', desk: '受付で名簿から', walk_in: '当日参加' };

const TOKYO = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A timestamp as Japan's wall clock, 2026/03/06 13:05. */
export const tokyoDateTime = (iso: string | null | undefined): string => (iso ? TOKYO.format(new Date(iso)) : '');

/** One row per registration, in the page's order (kana). */
export function attendanceRows(view: AttendanceView): ExportCell[][] {
  return view.items.map((i) => [
    i.person.name,
    i.person.kana ?? '',
    i.status === 'registered' ? '申込中' : '取消',
    i.source === 'public' ? '申込フォーム' : '職員が登録',
    i.slot?.boothName ?? '',
    i.slot ? tokyoDateTime(i.slot.startsAt) : '',
    tokyoDateTime(i.checkedInAt),
    i.checkinMethod ? (METHOD[i.checkinMethod] ?? '') : '',
    i.checkedInAt ? (i.hasFollowUp ? 'あり' : 'なし') : '',
  ]);
}

/** The file name: the event's day in Japan, so a list of several events sorts by date. */
export function attendanceFileName(view: AttendanceView, format: AttendanceFormat): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(view.event.startsAt));
  return `attendance-${day}.${format}`;
}

export async function attendanceFile(view: AttendanceView, format: AttendanceFormat): Promise<Buffer> {
  const rows = attendanceRows(view);
  if (format === 'csv') return csvFile([HEADERS, ...rows], { encoding: 'utf8' });
  return xlsxFile({
    title: `${view.event.title} 出席者名簿`,
    sheets: [{ name: '出席者名簿', columns: HEADERS.map((header) => ({ header, width: 18 })), rows }],
  });
}
