/**
 * The people list's order and its page positions, as plain functions (the SQL in people.search.ts
 * applies the same rules; people.search-rules.test.ts checks them as properties).
 *
 * Orders:
 * - `relevance` (a search's default): people whose reading starts with the search come first
 *   (tier 0, in kana order), then those whose name starts with it (tier 1, in name order), their
 *   email (tier 2), their phone number (tier 3); then everyone else the search finds (tier 4, kana
 *   order). Each of the first four is a range of an index, so a page of them is read directly.
 * - `kana`: kana order of the reading (the name where there is none), then id.
 * - `newest` / `oldest`: by the date the record was created, then id.
 *
 * Kana order is code point order of the normalized reading (hiragana), which is what a byte-wise
 * ("C") collation gives in every database — so a prefix is a range of the sort index.
 */
import { z } from 'zod';

/** Counts up to this are exact; beyond, the list says "1,000+". */
export const COUNT_BOUND = 1000;

export const PEOPLE_ORDERS = ['relevance', 'kana', 'newest', 'oldest'] as const;
export type PeopleOrder = (typeof PEOPLE_ORDERS)[number];

/** Where a page ends, in the terms of its order; the next page starts strictly after it. */
export type PagePosition =
  | { order: 'relevance'; tier: Tier; key: string; id: string }
  | { order: 'kana'; sortKey: string; id: string }
  | { order: 'newest' | 'oldest'; createdAt: string; id: string };

/** The keys whose prefix hits make the relevance tiers 0–3, in that order; tier 4 is the rest. */
export const PREFIX_TIERS = ['sortKey', 'nameKey', 'emailKey', 'phoneKey'] as const;
export type Tier = 0 | 1 | 2 | 3 | 4;
export const CONTAINS_TIER = 4;

/** The order a request gets: a search defaults to relevance, a plain list to the newest first. */
export function effectiveOrder(requested: PeopleOrder | undefined, hasQuery: boolean): PeopleOrder {
  if (!requested) return hasQuery ? 'relevance' : 'newest';
  // Relevance needs something to be relevant to; without a search it is kana order.
  if (requested === 'relevance' && !hasQuery) return 'kana';
  return requested;
}

/** Compares two strings by Unicode code point, as the "C" collation compares their UTF-8 bytes. */
export function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
}

/**
 * The half-open range [from, to) of code-point-ordered strings starting with `prefix`: `to` is the
 * prefix with its last code point raised by one (skipping the surrogate block, which UTF-8 text
 * never holds). Undefined `to` means "no upper end" (a prefix ending in the last code point).
 */
export function prefixRange(prefix: string): { from: string; to: string | undefined } {
  const points = Array.from(prefix);
  while (points.length) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return { from: prefix, to: points.join('') + String.fromCodePoint(next) };
    }
  }
  return { from: prefix, to: undefined };
}

export function startsWithPrefix(value: string, range: { from: string; to: string | undefined }): boolean {
  return (
    compareCodePoints(value, range.from) >= 0 && (range.to === undefined || compareCodePoints(value, range.to) < 0)
  );
}

/** A row as the orders see it. */
export type OrderedRow = {
  id: string;
  sortKey: string;
  nameKey: string;
  emailKey: string | null;
  phoneKey: string | null;
  createdAt: string;
};

/** The relevance tier of a row the search found, and the key it is ordered by within the tier. */
export function tierOf(
  row: OrderedRow,
  prefix: { from: string; to: string | undefined } | null,
): { tier: Tier; key: string } {
  if (prefix) {
    for (let tier = 0; tier < PREFIX_TIERS.length; tier++) {
      const key = row[PREFIX_TIERS[tier]!];
      if (key !== null && startsWithPrefix(key, prefix)) return { tier: tier as Tier, key };
    }
  }
  return { tier: CONTAINS_TIER, key: row.sortKey };
}

/** The position of a row in an order (tier from the search's prefix range). */
export function positionOf(
  order: PeopleOrder,
  row: OrderedRow,
  prefix: { from: string; to: string | undefined } | null,
): PagePosition {
  switch (order) {
    case 'relevance':
      return { order, ...tierOf(row, prefix), id: row.id };
    case 'kana':
      return { order, sortKey: row.sortKey, id: row.id };
    case 'newest':
    case 'oldest':
      return { order, createdAt: row.createdAt, id: row.id };
  }
}

/** The order as a comparison of positions (created dates compare as instants). */
export function comparePositions(a: PagePosition, b: PagePosition): number {
  if (a.order !== b.order) throw new Error('positions of different orders');
  const byId = compareCodePoints(a.id, b.id);
  if (a.order === 'relevance' && b.order === 'relevance')
    return a.tier - b.tier || compareCodePoints(a.key, b.key) || byId;
  if (a.order === 'kana' && b.order === 'kana') return compareCodePoints(a.sortKey, b.sortKey) || byId;
  if ((a.order === 'newest' || a.order === 'oldest') && (b.order === 'newest' || b.order === 'oldest')) {
    const byTime =
      Math.sign(Date.parse(a.createdAt) - Date.parse(b.createdAt)) || microsOf(a.createdAt) - microsOf(b.createdAt);
    const ascending = Math.sign(byTime) || byId;
    return a.order === 'newest' ? 0 - ascending : ascending;
  }
  throw new Error('unreachable');
}

/** The microseconds beyond the millisecond of an ISO time written with six decimals (0 without). */
function microsOf(iso: string): number {
  const m = /\.\d{3}(\d{3})/.exec(iso);
  return m ? Number(m[1]) : 0;
}

const CursorPayload = z.union([
  z.tuple([z.literal('relevance'), z.number().int().min(0).max(CONTAINS_TIER), z.string().max(1000), z.uuid()]),
  z.tuple([z.literal('kana'), z.string().max(1000), z.uuid()]),
  z.tuple([z.enum(['newest', 'oldest']), z.iso.datetime({ precision: 6 }), z.uuid()]),
]);

/** An opaque, URL-safe token for a page position. */
export function encodeCursor(position: PagePosition): string {
  const payload =
    position.order === 'relevance'
      ? [position.order, position.tier, position.key, position.id]
      : position.order === 'kana'
        ? [position.order, position.sortKey, position.id]
        : [position.order, position.createdAt, position.id];
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The position a cursor holds, or null when it is not one of ours or belongs to another order. */
export function decodeCursor(token: string, order: PeopleOrder): PagePosition | null {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = CursorPayload.safeParse(raw);
  if (!parsed.success || parsed.data[0] !== order) return null;
  const p = parsed.data;
  if (p[0] === 'relevance') return { order: 'relevance', tier: p[1] as Tier, key: p[2], id: p[3] };
  if (p[0] === 'kana') return { order: 'kana', sortKey: p[1], id: p[2] };
  return { order: p[0], createdAt: p[1], id: p[2] };
}

/**
 * A person's links as the search index holds them (`people.link_keys`): for each link its
 * municipality, `municipality:kind` and `:kind`, distinct, in code point order. The SQL function
 * `kankei_person_link_keys` (migration 0021) is the same rule; people-search.test.ts checks that
 * both agree. Scope and the list's link filters are conditions on these keys:
 */
export function linkKeysOf(links: ReadonlyArray<{ municipalityCode: string; kind: string }>): string[] {
  const keys = new Set<string>();
  for (const l of links) {
    keys.add(l.municipalityCode);
    keys.add(`${l.municipalityCode}:${l.kind}`);
    keys.add(`:${l.kind}`);
  }
  return [...keys].sort(compareCodePoints);
}

/**
 * The key a link filter asks for (a person matches when their link keys hold it): a link to the
 * municipality of that kind, a link to the municipality, or a link of that kind. Undefined: no filter.
 */
export function linkFilterKey(filter: { municipality?: string; kind?: string }): string | undefined {
  if (filter.municipality && filter.kind) return `${filter.municipality}:${filter.kind}`;
  if (filter.municipality) return filter.municipality;
  if (filter.kind) return `:${filter.kind}`;
  return undefined;
}
