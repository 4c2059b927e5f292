/**
 * The paged people search (people.search.ts) finds exactly the people the plain definition finds —
 * every live person in scope whose search text holds the search key, with the link filters — in
 * the order it promises, whichever of its paths a page takes: the bounded probe (few matches),
 * the ordered index walk (many) and the walk's fallback (matches sparse in a long order). Small
 * bounds make each path happen on a small table; the property runs random people, searches,
 * filters, orders and page sizes on both drivers.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.js';
import type { StaffContext } from '../../src/platform/request-context.js';
import { LINK_KINDS, type LinkKind } from '../../src/shared/domain.js';
import { searchKey } from '../../src/shared/normalize.js';
import { searchPeople, type SearchTuning } from '../../src/modules/people/people.search.js';
import {
  comparePositions,
  effectiveOrder,
  PEOPLE_ORDERS,
  positionOf,
  prefixRange,
  type OrderedRow,
  type PeopleOrder,
} from '../../src/modules/people/people.search-rules.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { people, personLinks } from '../../src/modules/people/people.tables.js';
import { seedYamagataPlaces } from '../../src/modules/places/places.service.js';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '../helpers/db.js';

const CODES = ['062014', '062031', '062049'] as const;
const SURNAMES = [
  ['山田', 'ヤマダ'],
  ['山本', 'ヤマモト'],
  ['中山', 'ナカヤマ'],
  ['高橋', 'タカハシ'],
  ['佐藤', 'サトウ'],
  ['小山', 'コヤマ'],
] as const;
const GIVEN = [
  ['花子', 'ハナコ'],
  ['太郎', 'タロウ'],
  ['山彦', 'ヤマヒコ'],
  ['一', 'ハジメ'],
] as const;

function staff(role: 'prefecture_admin' | 'municipality_staff', municipalityCode: string | null): StaffContext {
  return {
    via: 'staff',
    locale: 'ja',
    ip: null,
    userAgent: null,
    actor: {
      staffId: randomUUID(),
      email: 'search-test@kankei.example',
      name: '検索テスト',
      role,
      municipalityCode,
      organizationId: null,
      via: 'session',
    },
  };
}

type Stored = OrderedRow & { searchText: string; links: Array<[string, LinkKind]> };

describe.each(TEST_DRIVERS)('people search paths on %s', (driver) => {
  let database: TestDatabase;
  const stored: Stored[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedYamagataPlaces(database.db);
    // 400 people: surnames repeat (many match "ヤマ"), some without kana, a few deleted, created
    // in bursts that share a timestamp (the order's id tie-break matters), each with 1–2 links.
    const random = fc.sample(
      fc.record({
        surname: fc.integer({ min: 0, max: SURNAMES.length - 1 }),
        given: fc.integer({ min: 0, max: GIVEN.length - 1 }),
        withKana: fc.boolean(),
        deleted: fc.integer({ min: 0, max: 19 }),
        burst: fc.integer({ min: 0, max: 40 }),
        links: fc.uniqueArray(fc.tuple(fc.constantFrom(...CODES), fc.constantFrom(...LINK_KINDS)), {
          minLength: 1,
          maxLength: 2,
          selector: ([c, k]) => `${c}${k}`,
        }),
      }),
      { numRuns: 400, seed: 20261202 },
    );
    const rows: Array<typeof people.$inferInsert> = [];
    const links: Array<typeof personLinks.$inferInsert> = [];
    random.forEach((r, i) => {
      const [sk, sKana] = SURNAMES[r.surname]!;
      const [gk, gKana] = GIVEN[r.given]!;
      const kanaFull = `${sKana} ${gKana}`;
      const kana = r.withKana ? kanaFull : null;
      const fields = {
        name: `${sk} ${gk}`,
        kana,
        email: i % 3 === 0 ? `user${i}.yama@example.jp` : null,
        phone: i % 4 === 0 ? `090-${String(1000 + i).padStart(4, '0')}-${String(i * 7).padStart(4, '0')}` : null,
      };
      const id = randomUUID();
      rows.push({
        id,
        ...fields,
        ...derivedColumns(fields),
        createdAt: new Date(Date.parse('2026-04-01T00:00:00Z') + r.burst * 1000),
        deletedAt: r.deleted === 0 ? new Date() : null,
      });
      for (const [code, kind] of r.links) links.push({ personId: id, municipalityCode: code, kind });
    });
    await database.db.insert(people).values(rows);
    await database.db.insert(personLinks).values(links);
    const back = await queryRows<{
      id: string;
      search_text: string;
      sort_key: string;
      name_key: string;
      email_key: string | null;
      phone_key: string | null;
      created: string;
    }>(
      database.db,
      sql`select id, search_text, sort_key, name_key, email_key, phone_key,
                 to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created
            from people where deleted_at is null`,
    );
    for (const r of back)
      stored.push({
        id: r.id,
        searchText: r.search_text,
        sortKey: r.sort_key,
        nameKey: r.name_key,
        emailKey: r.email_key,
        phoneKey: r.phone_key,
        createdAt: r.created,
        links: links.filter((l) => l.personId === r.id).map((l) => [l.municipalityCode, l.kind as LinkKind]),
      });
  });

  afterAll(async () => {
    await database?.destroy();
  });

  /** The plain definition: who a search finds, in the promised order. */
  function expected(
    search: { q?: string; municipality?: string; kind?: LinkKind; sort?: PeopleOrder },
    scope: string | null,
  ): string[] {
    const key = search.q ? searchKey(search.q) : '';
    const order = effectiveOrder(search.sort, Boolean(key));
    const prefix = order === 'relevance' && key ? prefixRange(key) : null;
    return stored
      .filter((p) => !key || p.searchText.includes(key))
      .filter((p) => !scope || p.links.some(([c]) => c === scope))
      .filter(
        (p) =>
          !(search.municipality || search.kind) ||
          p.links.some(
            ([c, k]) => (!search.municipality || c === search.municipality) && (!search.kind || k === search.kind),
          ),
      )
      .map((p) => ({ id: p.id, position: positionOf(order, p, prefix) }))
      .sort((a, b) => comparePositions(a.position, b.position))
      .map((p) => p.id);
  }

  async function allPages(
    ctx: StaffContext,
    search: { q?: string; municipality?: string; kind?: LinkKind; sort?: PeopleOrder },
    limit: number,
    tuning: SearchTuning,
  ) {
    const ids: string[] = [];
    let cursor: string | undefined;
    let first: { total: number; totalIsExact: boolean } | undefined;
    for (let pages = 0; pages < 1000; pages++) {
      const page = await searchPeople(database.db, ctx, { ...search, limit, cursor }, tuning);
      first ??= page;
      ids.push(...page.ids);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return { ids, total: first!.total, totalIsExact: first!.totalIsExact };
  }

  const TUNINGS: Record<string, SearchTuning> = {
    'probe only (bound above every match)': { countBound: 1000, countWalk: 32_768, walkLimit: 20_000, firstChunk: 256 },
    'counted along the kana index, index walk (bound 5)': {
      countBound: 5,
      countWalk: 32_768,
      walkLimit: 20_000,
      firstChunk: 4,
    },
    'count walk too short for the bound, GIN probe (count walk 30)': {
      countBound: 5,
      countWalk: 30,
      walkLimit: 20_000,
      firstChunk: 4,
    },
    'walk falling back to the GIN read (walk limit 7)': { countBound: 5, countWalk: 30, walkLimit: 7, firstChunk: 2 },
  };

  for (const [label, tuning] of Object.entries(TUNINGS)) {
    it(`finds exactly the people of the plain definition, in order: ${label}`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            q: fc.option(
              fc.constantFrom(
                'ヤマ',
                'やま',
                'ﾔﾏ',
                '山',
                '山田',
                'ヤマダ ハナコ',
                'たろう',
                'yama',
                'user1',
                '090',
                '0901',
                'ナカ',
                'zz',
                'サトウ',
                'a',
              ),
              { nil: undefined },
            ),
            municipality: fc.option(fc.constantFrom(...CODES), { nil: undefined }),
            kind: fc.option(fc.constantFrom(...LINK_KINDS), { nil: undefined }),
            sort: fc.option(fc.constantFrom(...PEOPLE_ORDERS), { nil: undefined }),
            limit: fc.integer({ min: 3, max: 40 }),
            scope: fc.option(fc.constantFrom(...CODES), { nil: null }),
          }),
          async ({ scope, limit, ...search }) => {
            const ctx = scope ? staff('municipality_staff', scope) : staff('prefecture_admin', null);
            const want = expected(search, scope);
            const got = await allPages(ctx, search, limit, tuning);
            expect(got.ids).toEqual(want);
            if (want.length <= tuning.countBound) expect(got).toMatchObject({ total: want.length, totalIsExact: true });
            else expect(got).toMatchObject({ total: tuning.countBound, totalIsExact: false });
          },
        ),
        { numRuns: 12, seed: 16, endOnFailure: true },
      );
    });
  }
});
