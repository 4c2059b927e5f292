/**
 * Which people a staff member may see (platform/scope.ts decides the municipalities): every query
 * that returns or changes a person is filtered by `personScope`, and every single record is
 * fetched through `assertPersonInScope`, which answers NOT_FOUND (never FORBIDDEN).
 */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { type Db, textArray } from '../../platform/db/client.js';
import type { Actor } from '../../platform/auth/actor.js';
import { AppError } from '../../platform/errors.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { people, personLinks } from './people.tables.js';

/**
 * SQL condition on `people` for the rows the actor may see. Municipality staff see a person
 * when any link ties the person to their municipality; partners see nobody here (their access
 * comes through referrals addressed to them).
 */
export function personScope(actor: Actor): SQL {
  const codes = scopedMunicipalities(actor);
  if (codes === null) return sql`true`;
  if (codes.length === 0) return sql`false`;
  return sql`exists (select 1 from ${personLinks} where ${personLinks.personId} = ${people.id} and ${inArray(personLinks.municipalityCode, codes)})`;
}

/**
 * personScope as a condition on the person's own row: its link keys (people.link_keys, kept true
 * to person_links by the database) hold one of the actor's municipalities. The search uses this
 * form because the keys sit in the search GIN index beside the grams: a municipality's share of a
 * search is one index scan rather than a lookup of every match's links.
 */
export function personScopeByLinkKeys(actor: Actor): SQL {
  const codes = scopedMunicipalities(actor);
  if (codes === null) return sql`true`;
  if (codes.length === 0) return sql`false`;
  return sql`${people.linkKeys} && ${textArray(codes)}`;
}

/** Throws NOT_FOUND unless the person exists, is not deleted (unless allowed) and is in scope. */
export async function assertPersonInScope(
  db: Db,
  actor: Actor,
  personId: string,
  options: { includeDeleted?: boolean } = {},
): Promise<typeof people.$inferSelect> {
  const conditions = [eq(people.id, personId), personScope(actor)];
  if (!options.includeDeleted) conditions.push(sql`${people.deletedAt} is null`);
  const [row] = await db
    .select()
    .from(people)
    .where(and(...conditions))
    .limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  return row;
}
