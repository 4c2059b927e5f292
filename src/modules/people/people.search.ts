/**
 * The interactive people list and search: a page is answered without reading every match, so it
 * stays quick at millions of people (docs/people-search.md has the plans and the figures).
 *
 * What a search finds is unchanged: every live person in scope whose search text (normalized name,
 * reading, email, phone digits) holds the search key, with the link filters. How a page is found:
 *
 * - **Prefix hits come from ranges.** In the relevance order (a search's default) the people whose
 *   reading, name, email or phone starts with the search come first, tier by tier; each tier is a
 *   range of a btree index in byte order (people_sort_idx, people_name_key_idx, the email and
 *   phone prefix indexes), read in order and only as far as the page needs.
 * - **The count** is exact up to COUNT_BOUND and "COUNT_BOUND+" beyond. The ranges answer first
 *   (a capped read of each); only when they hold fewer than COUNT_BOUND people does a probe read
 *   up to COUNT_BOUND + 1 matches through the search grams' GIN index. When that probe holds every
 *   match (few of them), the page is sorted from it directly.
 * - **The other matches** (the search inside a key, "contains"), and the kana and date orders,
 *   are met by walking the order's index in growing chunks, keeping the rows that match. A walk
 *   that passes the walk limit without filling the page means the matches are sparse in that
 *   order: the remaining ones are then read through the GIN index and sorted.
 *
 * Every query is a condition plus an `order by … limit` on one table, so on Citus each shard reads
 * its own first rows and the coordinator merges them — no shard sorts every match. Paging is by
 * position (keyset cursor), never OFFSET.
 */
import { type PeopleFilters, peopleFilterConditions } from './people.filters.js';
import { and, isNull, not, sql, type SQL } from 'drizzle-orm';
import { queryRows, queryRowsPrepared, textArray, type Db } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import type { StaffContext } from '../../platform/request-context.js';
import type { LinkKind } from '../../shared/domain.js';
import { queryGrams, searchKey } from '../../shared/normalize.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { personScopeByLinkKeys } from './people.scope.js';
import {
  CONTAINS_TIER,
  COUNT_BOUND,
  decodeCursor,
  effectiveOrder,
  encodeCursor,
  linkFilterKey,
  positionOf,
  PREFIX_TIERS,
  prefixRange,
  type OrderedRow,
  type PagePosition,
  type PeopleOrder,
  type Tier,
} from './people.search-rules.js';
import { people, personLinks } from './people.tables.js';

/**
 * The bounds of the paths. countBound: matches counted exactly (and the probe's size);
 * countWalk: rows of the kana index read to count a search's matches before the GIN probe counts
 * them instead; walkLimit: rows an ordered walk may read before it gives way to reading the (then
 * few) matches directly; firstChunk: the walk's first chunk (each next one is four times larger).
 * Tests make them small to take every path on a small table.
 */
export type SearchTuning = { countBound: number; countWalk: number; walkLimit: number; firstChunk: number };
const DEFAULT_TUNING: SearchTuning = { countBound: COUNT_BOUND, countWalk: 32_768, walkLimit: 20_000, firstChunk: 256 };
/** Rows of one prefix range read to count it (more than the count bound: scope may drop some). */
const RANGE_COUNT_READ = 4;

export type PeopleSearch = PeopleFilters & {
  q?: string;
  municipality?: string;
  kind?: LinkKind;
  sort?: PeopleOrder;
  limit: number;
  cursor?: string;
};

export type PeopleSearchPage = { ids: string[]; total: number; totalIsExact: boolean; nextCursor: string | null };

type Range = { from: string; to: string | undefined };

/** The key columns of the relevance tiers 0–3, byte-ordered (as their indexes are). */
const TIER_COLUMNS: Record<(typeof PREFIX_TIERS)[number], SQL> = {
  sortKey: sql`${people.sortKey}`,
  nameKey: sql`${people.nameKey}`,
  emailKey: sql`(${people.emailKey} collate "C")`,
  phoneKey: sql`(${people.phoneKey} collate "C")`,
};
const tierColumn = (tier: Tier): SQL =>
  tier === CONTAINS_TIER ? TIER_COLUMNS.sortKey : TIER_COLUMNS[PREFIX_TIERS[tier]!];

/** A timestamp as text that parses back to the same instant (microseconds kept). */
const createdText = sql`to_char(${people.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
/** The columns every path returns, named as RawRow says. */
const rowColumns = sql`${people.id} as id, ${people.sortKey} as sort_key, ${people.nameKey} as name_key,
  ${people.emailKey} as email_key, ${people.phoneKey} as phone_key, ${createdText} as created_text`;
type RawRow = {
  id: string;
  sort_key: string;
  name_key: string;
  email_key: string | null;
  phone_key: string | null;
  created_text: string;
};
const toOrdered = (r: RawRow): OrderedRow => ({
  id: r.id,
  sortKey: r.sort_key,
  nameKey: r.name_key,
  emailKey: r.email_key,
  phoneKey: r.phone_key,
  createdAt: r.created_text,
});

/** LIKE pattern for a literal substring. */
const likeContains = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Scope, link filters and (with a key) the substring condition — everything but the GIN grams.
 * Scope and filters are conditions on the person's link keys (people.link_keys), which the search
 * index holds beside the grams.
 */
function matchConditions(ctx: StaffContext, filter: Omit<PeopleSearch, 'limit'>, key: string): SQL[] {
  const conditions: SQL[] = [personScopeByLinkKeys(ctx.actor)];
  // The grams narrow the rows through the GIN index; LIKE decides (a substring holds all its
  // bigrams, not the other way round).
  if (key) conditions.push(sql`${people.searchText} like ${likeContains(key)}`);
  const linkKey = linkFilterKey(filter);
  if (linkKey) conditions.push(sql`${people.linkKeys} @> ${textArray([linkKey])}`);
  conditions.push(...peopleFilterConditions(filter));
  return conditions;
}

function gramCondition(key: string): SQL {
  return sql`${people.searchGrams} @> ${textArray(queryGrams(key))}`;
}

/**
 * People whose search text holds the search key (`searchKey` of what was typed): the grams for the
 * GIN index, LIKE to decide. For other modules' searches over people (the check-in desk's), so
 * "finds the same people as the people list" holds by construction.
 */
export function personTextMatches(key: string): SQL {
  return and(gramCondition(key), sql`${people.searchText} like ${likeContains(key)}`)!;
}

/** Every live person in scope matching the filter, as one condition on `people` (exports, counts). */
export function matchingPeople(ctx: StaffContext, filter: Omit<PeopleSearch, 'limit'>): SQL | undefined {
  const key = filter.q ? searchKey(filter.q) : '';
  return and(isNull(people.deletedAt), ...(key ? [gramCondition(key)] : []), ...matchConditions(ctx, filter, key));
}

function inRange(column: SQL, range: Range): SQL {
  return range.to === undefined
    ? sql`${column} >= ${range.from}`
    : sql`(${column} >= ${range.from} and ${column} < ${range.to})`;
}

/** Rows of relevance tier `tier` (0–3): in its range and in none of the tiers before it. */
function inTier(tier: number, range: Range): SQL {
  const earlier = PREFIX_TIERS.slice(0, tier).map((k) => sql`coalesce(${inRange(TIER_COLUMNS[k], range)}, false)`);
  return and(inRange(TIER_COLUMNS[PREFIX_TIERS[tier]!], range), ...earlier.map((c) => not(c)))!;
}

/** The contains tier: in none of the prefix ranges. */
function inContainsTier(range: Range): SQL {
  return and(...PREFIX_TIERS.map((k) => not(sql`coalesce(${inRange(TIER_COLUMNS[k], range)}, false)`)))!;
}

function tierExpression(range: Range): SQL {
  const whens = PREFIX_TIERS.map(
    (k, tier) => sql`when ${inRange(TIER_COLUMNS[k], range)} then ${sql.raw(String(tier))}`,
  );
  return sql`(case ${sql.join(whens, sql` `)} else ${sql.raw(String(CONTAINS_TIER))} end)`;
}

function tierKeyExpression(range: Range): SQL {
  const whens = PREFIX_TIERS.map((k) => sql`when ${inRange(TIER_COLUMNS[k], range)} then ${TIER_COLUMNS[k]}`);
  return sql`(case ${sql.join(whens, sql` `)} else ${TIER_COLUMNS.sortKey} end)`;
}

/** `order by` of an order (relevance: tier, then the tier's key). */
function orderBy(order: PeopleOrder, range: Range | null): SQL {
  switch (order) {
    case 'relevance':
      return range
        ? sql`${tierExpression(range)}, ${tierKeyExpression(range)}, ${people.id}`
        : sql`${people.sortKey}, ${people.id}`;
    case 'kana':
      return sql`${people.sortKey}, ${people.id}`;
    case 'newest':
      return sql`${people.createdAt} desc, ${people.id} desc`;
    case 'oldest':
      return sql`${people.createdAt}, ${people.id}`;
  }
}

/** Rows strictly after a position in its order (relevance: the whole order, tiers included). */
function after(position: PagePosition, range: Range | null): SQL {
  switch (position.order) {
    case 'relevance':
      return range
        ? sql`(${tierExpression(range)}, ${tierKeyExpression(range)}, ${people.id}) > (${position.tier}::int, ${position.key}, ${position.id}::uuid)`
        : sql`(${people.sortKey}, ${people.id}) > (${position.key}, ${position.id}::uuid)`;
    case 'kana':
      return sql`(${people.sortKey}, ${people.id}) > (${position.sortKey}, ${position.id}::uuid)`;
    case 'newest':
      return sql`(${people.createdAt}, ${people.id}) < (${position.createdAt}::timestamptz, ${position.id}::uuid)`;
    case 'oldest':
      return sql`(${people.createdAt}, ${people.id}) > (${position.createdAt}::timestamptz, ${position.id}::uuid)`;
  }
}

/** Within one index order: the rows after a key (relevance tiers, kana) or a time (dates). */
function afterInIndex(order: PeopleOrder, tier: Tier, last: OrderedRow | { key: string; id: string }): SQL {
  if (order === 'newest' || order === 'oldest') {
    const row = last as OrderedRow;
    const op = order === 'newest' ? sql`<` : sql`>`;
    return sql`(${people.createdAt}, ${people.id}) ${op} (${row.createdAt}::timestamptz, ${row.id}::uuid)`;
  }
  const key = 'key' in last ? last.key : order === 'relevance' ? keyOfTier(last, tier) : last.sortKey;
  return sql`(${tierColumn(tier)}, ${people.id}) > (${key}, ${last.id}::uuid)`;
}

function keyOfTier(row: OrderedRow, tier: Tier): string {
  return tier === CONTAINS_TIER ? row.sortKey : (row[PREFIX_TIERS[tier]!] ?? '');
}

/** The index order a walk follows: a tier's key, kana, or creation date. */
function indexOrder(order: PeopleOrder, tier: Tier): SQL {
  if (order === 'newest' || order === 'oldest') return orderBy(order, null);
  return sql`${tierColumn(tier)}, ${people.id}`;
}

export async function searchPeople(
  db: Db,
  ctx: StaffContext,
  search: PeopleSearch,
  tuning: SearchTuning = DEFAULT_TUNING,
): Promise<PeopleSearchPage> {
  const key = search.q ? searchKey(search.q) : '';
  const order = effectiveOrder(search.sort, Boolean(key));
  const range = key ? prefixRange(key) : null;
  const relevanceRange = order === 'relevance' ? range : null;
  let cursor: PagePosition | null = null;
  if (search.cursor) {
    cursor = decodeCursor(search.cursor, order);
    if (!cursor) throw new AppError('VALIDATION', { fields: { cursor: { problem: 'invalid' } } });
  }
  const live = isNull(people.deletedAt);
  const match = matchConditions(ctx, search, key);
  const want = search.limit + 1;
  const bound = tuning.countBound;

  // 1. The count, from the prefix ranges when they already hold more than the bound. Each range is
  // read in its index's order only until it has given bound + 1 people in scope (at most readCap
  // rows: a narrow scope may keep few of them), so a dense range costs bound + 1 rows, not readCap.
  // A range without a match in scope that ends before readCap tells its tier's walk (step 3) to
  // stay away — a search inside names (`ﾀﾛｳ`) then walks no empty prefix tier.
  let rangesHoldMore = false;
  const emptyTiers = new Set<Tier>();
  if (range) {
    const readCap = bound * RANGE_COUNT_READ;
    const rangeRows = (k: (typeof PREFIX_TIERS)[number]) =>
      sql`select ${people.id} as id, ${people.searchText} as search_text, ${people.linkKeys} as link_keys
            from ${people} where ${and(live, inRange(TIER_COLUMNS[k], range))}
           order by ${TIER_COLUMNS[k]}, ${people.id} limit ${readCap}`;
    // Limits are pulled lazily: each branch stops reading its index at its bound + 1st hit.
    const hits = PREFIX_TIERS.map(
      (k, tier) =>
        sql`(select ${sql.raw(String(tier))} as tier, id from (${rangeRows(k)}) as people
              where ${and(...match)} limit ${bound + 1})`,
    );
    // Only a range without hits is counted to its end (up to readCap): a subquery in an untaken
    // CASE branch is never run.
    const perRange = PREFIX_TIERS.map((k, tier) => {
      const hitsOfTier = sql`count(*) filter (where tier = ${sql.raw(String(tier))})`;
      return sql`${hitsOfTier}::int as ${sql.raw(`hits${tier}`)},
            (case when ${hitsOfTier} = 0 then (select count(*) from (${rangeRows(k)}) as e) end)::int as ${sql.raw(`read${tier}`)}`;
    });
    const [row] = await queryRowsPrepared<Record<string, number | null>>(
      db,
      sql`select count(distinct id)::int as n, ${sql.join(perRange, sql`, `)}
            from (${sql.join(hits, sql` union all `)}) as h`,
    );
    rangesHoldMore = (row?.n ?? 0) > bound;
    PREFIX_TIERS.forEach((_k, tier) => {
      const read = row?.[`read${tier}`];
      if (row?.[`hits${tier}`] === 0 && read !== null && read !== undefined && read < readCap)
        emptyTiers.add(tier as Tier);
    });
  }

  // 2. Otherwise, for a search, count along the kana index: its covering index is read without the
  // table, a few hundred thousand entries a second, so a search found in one person of 30 or more
  // (`ﾀﾛｳ`, a common given name) passes the bound within countWalk entries — at any table size.
  // The GIN probe (2b) would instead merge the grams' whole posting lists, which grow with the
  // table (at 1,000,000 people `ﾀﾛｳ`'s two grams list 124,000 entries).
  // The matches it met are the first ones in kana order; the first page of the kana order (and of
  // relevance when no prefix range holds a match) is then read off them (step 3).
  let kanaHead: OrderedRow[] = [];
  let denseCounted = false;
  if (!rangesHoldMore && key && (await countWalkCanPass(db, ctx, search, tuning))) {
    const head = await queryRowsPrepared<RawRow & { n: number }>(
      db,
      sql`with w as materialized (
            select id, sort_key, name_key, email_key, phone_key, created_at from (
              select ${people.id} as id, ${people.sortKey} as sort_key, ${people.nameKey} as name_key,
                     ${people.emailKey} as email_key, ${people.phoneKey} as phone_key, ${people.createdAt} as created_at,
                     ${people.searchText} as search_text, ${people.linkKeys} as link_keys
                from ${people} where ${live} order by ${people.sortKey}, ${people.id} limit ${tuning.countWalk}) as people
             where ${and(...match)} limit ${bound + 1})
          select ${rowColumns}, (select count(*) from w)::int as n
            from w as people order by ${people.sortKey}, ${people.id} limit ${want}`,
    );
    kanaHead = head.map(toOrdered);
    denseCounted = (head[0]?.n ?? 0) > bound;
  }

  // 2b. Otherwise the bounded probe through the GIN index: every match when there are few.
  if (!rangesHoldMore && !denseCounted) {
    const probeWhere = matchingPeople(ctx, search);
    const probe = await queryRows<RawRow & { n: number }>(
      db,
      sql`with m as materialized (
            select ${people.id} as id, ${people.sortKey} as sort_key, ${people.nameKey} as name_key,
                   ${people.emailKey} as email_key, ${people.phoneKey} as phone_key, ${people.createdAt} as created_at
              from ${people} where ${probeWhere} limit ${bound + 1})
          select ${rowColumns}, (select count(*) from m)::int as n
            from m as people ${cursor ? sql`where ${after(cursor, relevanceRange)}` : sql``}
           order by ${orderBy(order, relevanceRange)} limit ${want}`,
    );
    const probed =
      probe[0]?.n ??
      (
        await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from (select 1 from ${people} where ${probeWhere} limit ${bound + 1}) m`,
        )
      )[0]?.n ??
      0;
    if (probed <= bound) return page(order, range, probe.map(toOrdered), search.limit, probed, true);
  }

  // 3. Many matches. The first page of the kana order starts with the kana head of step 2.
  const headIsPage = order === 'kana' || (order === 'relevance' && emptyTiers.size === PREFIX_TIERS.length);
  if (!cursor && headIsPage && kanaHead.length >= want) return page(order, range, kanaHead, search.limit, bound, false);
  // Otherwise read the order's indexes as far as the page needs.
  const rows: OrderedRow[] = [];
  const phases: Array<{ tier: Tier; where: SQL; within?: SQL; from: PagePosition | null }> = [];
  if (order === 'relevance' && range) {
    const startTier = cursor?.order === 'relevance' ? cursor.tier : 0;
    for (let tier = startTier; tier < PREFIX_TIERS.length; tier++)
      if (!emptyTiers.has(tier as Tier))
        phases.push({
          tier: tier as Tier,
          where: inTier(tier, range),
          within: inRange(tierColumn(tier as Tier), range),
          from: tier === startTier ? cursor : null,
        });
    phases.push({
      tier: CONTAINS_TIER,
      where: inContainsTier(range),
      from: startTier === CONTAINS_TIER ? cursor : null,
    });
  } else {
    phases.push({ tier: CONTAINS_TIER, where: sql`true`, from: cursor });
  }
  for (const phase of phases) {
    const needed = want - rows.length;
    if (needed <= 0) break;
    const from = phase.from ? afterPosition(order, phase.tier, phase.from) : undefined;
    // A prefix tier is walked within its range (in its key's order), the contains tier and the
    // other orders along their whole index. Walking, not one `where … order by … limit`: with the
    // scope and the substring as filters the planner estimates few rows pass and sorts every row
    // of the range instead (a phone prefix in Yamagata city: 0.5 s instead of a few ms).
    rows.push(
      ...(await walk(db, {
        order,
        phase,
        from,
        live,
        match,
        needed,
        tuning,
        probeWhere: matchingPeople(ctx, search),
      })),
    );
  }
  return page(order, range, rows, search.limit, bound, false);
}

/** Per database and municipality: whether it has enough people for a count walk to pass the bound. */
const walkableMunicipalities = new WeakMap<Db, Map<string, { walkable: boolean; at: number }>>();
const MUNICIPALITY_SIZE_MAX_AGE_MS = 10 * 60_000;

/**
 * Whether counting along the kana index (step 2) can pass the bound in this scope. Its countWalk
 * entries hold about countWalk × (people in scope / all people) people in scope; when even all of
 * them matching could not pass the bound — a municipality of 2 % of a million people has about
 * 650 in 32,768 entries — the walk is skipped and the GIN probe, narrowed by the municipality's
 * link key, counts. Decided from the municipality's size, at most ten minutes old: it only picks
 * the path, never changes a result.
 */
async function countWalkCanPass(
  db: Db,
  ctx: StaffContext,
  search: PeopleSearch,
  tuning: SearchTuning,
): Promise<boolean> {
  const scope = scopedMunicipalities(ctx.actor);
  const municipality = search.municipality ?? (scope?.length === 1 ? scope[0] : undefined);
  if (!municipality) return true;
  const known = walkableMunicipalities.get(db) ?? new Map<string, { walkable: boolean; at: number }>();
  walkableMunicipalities.set(db, known);
  const cacheKey = `${municipality} ${tuning.countBound} ${tuning.countWalk}`;
  const cached = known.get(cacheKey);
  if (cached && Date.now() - cached.at < MUNICIPALITY_SIZE_MAX_AGE_MS) return cached.walkable;
  // The planner's row count of people (no scan); unknown before the first ANALYZE: walk then.
  const [stats] = await queryRows<{ people: number }>(
    db,
    sql`select reltuples::float8 as people from pg_class where oid = 'people'::regclass`,
  );
  const everyone = stats?.people ?? -1;
  let walkable = true;
  if (everyone > 0) {
    const needed = Math.ceil(((tuning.countBound + 1) * everyone) / tuning.countWalk);
    // Links, not people, are counted (a person may hold several kinds): at most an overestimate.
    const [linked] = await queryRows<{ n: number }>(
      db,
      sql`select count(*)::int as n from (select 1 from ${personLinks}
            where ${personLinks.municipalityCode} = ${municipality} limit ${needed}) l`,
    );
    walkable = (linked?.n ?? 0) >= needed;
  }
  known.set(cacheKey, { walkable, at: Date.now() });
  return walkable;
}

/** A cursor's position as a condition inside one phase's index order. */
function afterPosition(order: PeopleOrder, tier: Tier, position: PagePosition): SQL {
  if (position.order === 'relevance') return afterInIndex(order, tier, { key: position.key, id: position.id });
  if (position.order === 'kana') return afterInIndex(order, tier, { key: position.sortKey, id: position.id });
  return afterInIndex(order, tier, {
    id: position.id,
    createdAt: position.createdAt,
    sortKey: '',
    nameKey: '',
    emailKey: null,
    phoneKey: null,
  });
}

/**
 * Walks an index order in growing chunks, keeping the rows that match, until `needed` are found,
 * the index ends, or the walk limit is passed — then the rest comes from the GIN index, sorted.
 */
async function walk(
  db: Db,
  w: {
    order: PeopleOrder;
    /** where: the phase's rows; within: the index range its walk reads (prefix tiers). */
    phase: { tier: Tier; where: SQL; within?: SQL };
    from: SQL | undefined;
    live: SQL;
    match: SQL[];
    needed: number;
    tuning: SearchTuning;
    probeWhere: SQL | undefined;
  },
): Promise<OrderedRow[]> {
  const rows: OrderedRow[] = [];
  const sortedBy = indexOrder(w.order, w.phase.tier);
  let from = w.from;
  let walked = 0;
  let chunk = w.tuning.firstChunk;
  while (rows.length < w.needed) {
    if (walked >= w.tuning.walkLimit) {
      // Sparse in this order after all: the remaining matches are few; read them and sort them.
      const rest = await queryRows<RawRow>(
        db,
        sql`with m as materialized (
              select ${people.id} as id, ${people.sortKey} as sort_key, ${people.nameKey} as name_key,
                     ${people.emailKey} as email_key, ${people.phoneKey} as phone_key, ${people.createdAt} as created_at
                from ${people} where ${and(w.probeWhere, w.phase.where, from)})
            select ${rowColumns} from m as people order by ${sortedBy} limit ${w.needed - rows.length}`,
      );
      rows.push(...rest.map(toOrdered));
      break;
    }
    const size = Math.min(chunk, w.tuning.walkLimit - walked);
    // The chunk is the next `size` rows of the index in order, numbered in that order (the
    // numbering follows the index, so nothing is sorted); of those come back the matches and the
    // chunk's last row (to continue after it), with the chunk's length.
    const got = await queryRowsPrepared<RawRow & { hit: boolean; rn: number; size: number }>(
      db,
      sql`with chunk as materialized (
            select ${people.id} as id, ${people.sortKey} as sort_key, ${people.nameKey} as name_key,
                   ${people.emailKey} as email_key, ${people.phoneKey} as phone_key, ${people.createdAt} as created_at,
                   (${and(...w.match, w.phase.where)}) as hit, (row_number() over (order by ${sortedBy}))::int as rn
              from ${people} where ${and(w.live, w.phase.within, from)} order by ${sortedBy} limit ${size}),
          size as (select count(*)::int as size from chunk)
          select ${rowColumns}, hit, rn, size.size from chunk as people, size
           where hit or rn = size.size order by rn`,
    );
    walked += size;
    for (const r of got) if (r.hit && rows.length < w.needed) rows.push(toOrdered(r));
    const last = got.at(-1);
    // A chunk shorter than asked for reached the end of the index.
    if (!last || last.size < size) break;
    from = afterInIndex(w.order, w.phase.tier, toOrdered(last));
    chunk *= 4;
  }
  return rows;
}

function page(
  order: PeopleOrder,
  range: Range | null,
  rows: OrderedRow[],
  limit: number,
  total: number,
  totalIsExact: boolean,
): PeopleSearchPage {
  const shown = rows.slice(0, limit);
  const lastShown = shown.at(-1);
  return {
    ids: shown.map((r) => r.id),
    total,
    totalIsExact,
    nextCursor: rows.length > limit && lastShown ? encodeCursor(positionOf(order, lastShown, range)) : null,
  };
}
