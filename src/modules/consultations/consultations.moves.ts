/**
 * 移住 (a move): the one rule every figure that counts moves uses — the dashboard's moves of the
 * fiscal year, the case list behind it, the needs analysis (totals, time to move, map, channels)
 * and KPI ① (docs/cases.md, "What counts as a move").
 *
 * A move is a case's `moved` step: the case's move-in date (`cases.moved_on`) and move-in
 * municipality (`cases.moved_municipality_code`), set together by the step and never undone (a
 * moved case can only settle, docs/cases.md), of a person still on record — a person deleted or
 * merged away takes their moves out of every count, as out of every list. A move belongs to the
 * municipality moved into, and to the period its move-in date falls in.
 */
import { sql, type SQL } from 'drizzle-orm';

export type MoveCondition = {
  /** The SQL alias (or table name) of the `cases` row the condition is on. */
  alias: string;
  /** First and last day (yyyy-mm-dd, inclusive) of the period, or an SQL date expression; open ends allowed. */
  from?: string | SQL;
  to?: string | SQL;
  /** Only moves into this municipality. */
  into?: string | null;
};

const asDate = (d: string | SQL): SQL => (typeof d === 'string' ? sql`${d}::date` : d);

/** SQL condition: the `cases` row at `alias` is a move (in the period, into the municipality). */
export function isMoveSql({ alias, from, to, into }: MoveCondition): SQL {
  const k = sql.raw(alias);
  const parts: SQL[] = [
    sql`${k}.moved_on is not null`,
    sql`${k}.moved_municipality_code is not null`,
    sql`not exists (select 1 from people mp where mp.id = ${k}.person_id and mp.deleted_at is not null)`,
  ];
  if (from) parts.push(sql`${k}.moved_on >= ${asDate(from)}`);
  if (to) parts.push(sql`${k}.moved_on <= ${asDate(to)}`);
  if (into) parts.push(sql`${k}.moved_municipality_code = ${into}`);
  return sql`(${sql.join(parts, sql` and `)})`;
}
