/**
 * Bulk insert of engagement records for imports, set-based from a staging query in the caller's
 * transaction. `external_key` makes it idempotent: a record whose (person_id, external_key)
 * already exists is skipped, so the same source row never counts twice.
 */

/** The columns a staging query must produce, in this order. */
export const BULK_ENGAGEMENT_COLUMNS = [
  'id',
  'person_id',
  'municipality_code',
  'kind',
  'occurred_on',
  'source',
  'source_ref',
  'amount_yen',
  'external_key',
  'created_by',
] as const;

/**
 * An INSERT of the rows `select` yields (columns as BULK_ENGAGEMENT_COLUMNS), skipping those
 * already recorded, returning the ids inserted — to be used as a CTE by the importer.
 */
export function insertEngagementsSql(select: string): string {
  return `insert into engagements (${BULK_ENGAGEMENT_COLUMNS.join(', ')})
    ${select}
    on conflict (person_id, external_key) do nothing
    returning id`;
}
