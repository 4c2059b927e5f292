/**
 * people.link_keys — the links as the search index holds them — stays true to person_links
 * whoever writes the links: the service's create, update and merge, addPersonLinks, a statement
 * straight on person_links (the trigger of migration 0021). And the SQL rule agrees with
 * linkKeysOf, the TypeScript one the writers use.
 */
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/platform/db/client.js';
import { inTransaction } from '../../src/platform/db/unit-of-work.js';
import type { StaffContext } from '../../src/platform/request-context.js';
import { LINK_KINDS } from '../../src/shared/domain.js';
import { linkKeysOf } from '../../src/modules/people/people.search-rules.js';
import { addPersonLinks, createPerson, mergePeople, updatePerson } from '../../src/modules/people/people.service.js';
import { searchPeople } from '../../src/modules/people/people.search.js';
import { seedYamagataPlaces } from '../../src/modules/places/places.service.js';
import { ensureFirstAdmin } from '../../src/seed/seed.js';
import { createTestDatabase, TEST_DRIVERS, type TestDatabase } from '../helpers/db.js';

const CODES = ['062014', '062031', '062049'] as const;

describe.each(TEST_DRIVERS)('people link keys on %s', (driver) => {
  let database: TestDatabase;
  let admin: StaffContext;

  beforeAll(async () => {
    database = await createTestDatabase(driver);
    await seedYamagataPlaces(database.db);
    await ensureFirstAdmin(database.db, { email: 'link-keys@kankei.example', password: 'link-keys-password-1' });
    const [row] = await queryRows<{ id: string; email: string }>(database.db, sql`select id, email from staff limit 1`);
    admin = {
      via: 'staff',
      locale: 'ja',
      ip: null,
      userAgent: null,
      actor: {
        staffId: row!.id,
        email: row!.email,
        name: '管理者',
        role: 'prefecture_admin',
        municipalityCode: null,
        organizationId: null,
        via: 'session',
      },
    };
  });
  afterAll(() => database?.close());

  /** Every person whose stored keys differ from what their links say. */
  async function stale() {
    return queryRows<{ id: string; stored: string[]; links: Array<{ municipalityCode: string; kind: string }> }>(
      database.db,
      sql`select p.id, p.link_keys as stored,
                 coalesce((select json_agg(json_build_object('municipalityCode', l.municipality_code, 'kind', l.kind))
                             from person_links l where l.person_id = p.id), '[]'::json) as links
            from people p`,
    ).then((rows) => rows.filter((r) => JSON.stringify(r.stored) !== JSON.stringify(linkKeysOf(r.links))));
  }

  it('the SQL rule gives what linkKeysOf gives', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ municipalityCode: fc.constantFrom(...CODES), kind: fc.constantFrom(...LINK_KINDS) }), {
          maxLength: 6,
        }),
        async (links) => {
          const [row] = await queryRows<{ keys: string[] }>(
            database.db,
            sql`select coalesce(array_agg(k order by k), '{}'::text[]) as keys
                  from (select distinct k collate "C" as k
                          from jsonb_to_recordset(${JSON.stringify(links.map((l) => ({ municipality_code: l.municipalityCode, kind: l.kind })))}::jsonb) as l(municipality_code text, kind text),
                               unnest(kankei_link_keys(l.municipality_code, l.kind)) as k) keys`,
          );
          expect(row!.keys).toEqual(linkKeysOf(links));
        },
      ),
      { numRuns: 30 },
    );
  });

  it('follow every way links are written', async () => {
    const a = await createPerson(database.db, admin, {
      name: '【テスト】 結び 一',
      links: [{ municipalityCode: '062014', kind: 'interest' }],
    });
    const b = await createPerson(database.db, admin, { name: '【テスト】 結び 二', links: [] });
    expect(await stale()).toEqual([]);

    await updatePerson(database.db, admin, a.id, {
      links: [
        { municipalityCode: '062031', kind: 'supporter' },
        { municipalityCode: '062014', kind: 'roots' },
      ],
    });
    expect(await stale()).toEqual([]);

    await inTransaction(database.db, (tx) => addPersonLinks(tx, b.id, ['062049'], 'interest'));
    expect(await stale()).toEqual([]);

    // Straight on the table: the trigger keeps the keys (insert, update, delete).
    await database.db.execute(
      sql`insert into person_links (person_id, municipality_code, kind) values (${b.id}, '062014', 'roots')`,
    );
    await database.db.execute(
      sql`update person_links set municipality_code = '062031' where person_id = ${b.id} and municipality_code = '062014'`,
    );
    await database.db.execute(sql`delete from person_links where person_id = ${b.id} and municipality_code = '062049'`);
    expect(await stale()).toEqual([]);

    await mergePeople(database.db, admin, a.id, b.id);
    expect(await stale()).toEqual([]);

    // And the search sees through them: Tsuruoka's staff find the person linked there only by the merge.
    const tsuruoka: StaffContext = {
      ...admin,
      actor: { ...admin.actor, role: 'municipality_staff', municipalityCode: '062049' },
    };
    const before = await searchPeople(database.db, tsuruoka, { q: '結び', limit: 20 });
    expect(before.ids).toEqual([]);
    await inTransaction(database.db, (tx) => addPersonLinks(tx, a.id, ['062049'], 'interest'));
    const after = await searchPeople(database.db, tsuruoka, { q: '結び', limit: 20 });
    expect(after.ids).toEqual([a.id]);
  });
});
