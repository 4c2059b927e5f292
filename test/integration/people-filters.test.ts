/**
 * The people list's stage and consent filters (people.filters.ts, added to the search's
 * conditions): the stage filter finds exactly the people whose stages (GET /api/people/:id/stages,
 * the rules of docs/stages.md as functions) say so — with any municipality, and with a chosen
 * one among the people tied to it (what the municipality filter lists) —, the consent filter those whose latest answer is yes, both within scope, combined with a
 * search and in every order, and in the CSV export. On both drivers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consents } from '../../src/modules/people/people.tables.js';
import { STAGES } from '../../src/shared/domain.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

type Record = { municipalityCode: string; kind: string; occurredOn: string };
const daysAgo = (n: number) => new Date(Date.now() + 9 * 3_600_000 - n * 86_400_000).toISOString().slice(0, 10);

/** Each person: links, engagement records — one or more stages between them. */
const PEOPLE: Array<{ key: string; links: Array<[string, string]>; records: Record[] }> = [
  { key: 'interest', links: [[YAMAGATA, 'interest']], records: [] },
  { key: 'exchange', links: [], records: [{ municipalityCode: YAMAGATA, kind: 'event', occurredOn: daysAgo(30) }] },
  {
    key: 'involvementYears',
    links: [[TSURUOKA, 'supporter']],
    records: [
      { municipalityCode: TSURUOKA, kind: 'donation', occurredOn: daysAgo(800) },
      { municipalityCode: TSURUOKA, kind: 'event', occurredOn: daysAgo(10) },
    ],
  },
  {
    key: 'volunteerAndSideJob',
    links: [],
    records: [
      { municipalityCode: YAMAGATA, kind: 'volunteering', occurredOn: daysAgo(5) },
      { municipalityCode: TSURUOKA, kind: 'side_job', occurredOn: daysAgo(5) },
    ],
  },
  {
    key: 'twoRegion',
    links: [],
    records: [{ municipalityCode: TSURUOKA, kind: 'two_region_living', occurredOn: daysAgo(3) }],
  },
  { key: 'migrated', links: [], records: [{ municipalityCode: YAMAGATA, kind: 'moved_in', occurredOn: daysAgo(100) }] },
  { key: 'settled', links: [], records: [{ municipalityCode: YAMAGATA, kind: 'moved_in', occurredOn: daysAgo(400) }] },
];

describe.each(TEST_DRIVERS)('people list filters by stage and consent on %s', (driver) => {
  let t: TestApp;
  let center: Session;
  let tsuruokaStaff: Session;
  const ids = new Map<string, string>();
  /** person id → municipality → stage, as the person page's stages say. */
  const stages = new Map<string, Map<string, string>>();

  const listed = async (s: Session, query: string) => {
    const found = new Set<string>();
    let cursor: string | null = null;
    do {
      const url: string = `/api/people?limit=2&${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await s.request({ method: 'GET', url });
      expect(res.statusCode, `${url} ${res.body}`).toBe(200);
      const page = res.json() as { items: Array<{ id: string }>; nextCursor: string | null; total: number };
      for (const p of page.items) found.add(p.id);
      cursor = page.nextCursor;
    } while (cursor);
    return found;
  };
  /** person id → municipalities they are linked to (the list's municipality filter is about ties). */
  const linked = new Map<string, Set<string>>();
  const expected = (stage: string, municipality?: string) =>
    new Set(
      [...stages]
        .filter(([id, byCode]) =>
          municipality
            ? byCode.get(municipality) === stage && linked.get(id)?.has(municipality)
            : [...byCode.values()].includes(stage),
        )
        .map(([id]) => id),
    );

  beforeAll(async () => {
    t = await createTestApp(driver);
    center = await t.staffSession('center_staff');
    tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    for (const [i, p] of PEOPLE.entries()) {
      const created = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: {
          name: `フィルタ ${p.key}`,
          kana: `フィルタ ${'アイウエオカキ'[i]}`,
          links: p.links.map(([municipalityCode, kind]) => ({ municipalityCode, kind })),
        },
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      ids.set(p.key, id);
      for (const r of p.records) {
        const res = await t.admin.request({ method: 'POST', url: `/api/people/${id}/engagements`, payload: r });
        expect(res.statusCode, res.body).toBe(201);
      }
      const view = await t.admin.request({ method: 'GET', url: `/api/people/${id}/stages` });
      const items = view.json().items as Array<{ municipalityCode: string; stage: string }>;
      stages.set(id, new Map(items.map((s) => [s.municipalityCode, s.stage])));
      const person = (await t.admin.request({ method: 'GET', url: `/api/people/${id}` })).json();
      linked.set(id, new Set((person.links as Array<{ municipalityCode: string }>).map((l) => l.municipalityCode)));
    }
    // Consents: newsletter yes then no (no), yes (yes); sharing with Yamagata only.
    const at = (s: number) => new Date(Date.now() - s * 1000);
    await t.database.db.insert(consents).values([
      { personId: ids.get('interest')!, purpose: 'newsletter', granted: true, source: 'staff', recordedAt: at(60) },
      { personId: ids.get('interest')!, purpose: 'newsletter', granted: false, source: 'staff', recordedAt: at(30) },
      { personId: ids.get('exchange')!, purpose: 'newsletter', granted: true, source: 'staff', recordedAt: at(30) },
      {
        personId: ids.get('migrated')!,
        purpose: 'share_with_municipalities',
        municipalityCode: YAMAGATA,
        granted: true,
        source: 'staff',
        recordedAt: at(30),
      },
    ]);
  });
  afterAll(() => t?.close());

  it('finds by stage exactly the people whose stages say so, with any municipality and with one', async () => {
    // The hand-made people cover every stage.
    expect(new Set([...stages.values()].flatMap((m) => [...m.values()]))).toEqual(new Set(STAGES));
    for (const stage of STAGES) {
      expect(await listed(center, `stage=${stage}`), stage).toEqual(expected(stage));
      for (const code of [YAMAGATA, TSURUOKA])
        expect(await listed(center, `stage=${stage}&municipality=${code}`), `${stage} ${code}`).toEqual(
          expected(stage, code),
        );
    }
    expect(await listed(center, 'stage=settled')).toEqual(new Set([ids.get('settled')]));
    expect(await listed(center, 'stage=involvement')).toEqual(
      new Set([ids.get('involvementYears'), ids.get('volunteerAndSideJob')]),
    );
  });

  it('combines with a search, every order and the scope', async () => {
    for (const sort of ['relevance', 'kana', 'newest', 'oldest'])
      expect(await listed(center, `q=${encodeURIComponent('フィルタ')}&stage=involvement&sort=${sort}`), sort).toEqual(
        expected('involvement'),
      );
    // Tsuruoka's staff see only people tied to Tsuruoka.
    expect(await listed(tsuruokaStaff, 'stage=involvement')).toEqual(new Set([ids.get('involvementYears')]));
  });

  it('finds by consent those whose latest answer is yes', async () => {
    expect(await listed(center, 'consent=newsletter')).toEqual(new Set([ids.get('exchange')]));
    expect(await listed(center, 'consent=share_with_municipalities')).toEqual(new Set([ids.get('migrated')]));
    expect(await listed(center, `consent=share_with_municipalities&municipality=${TSURUOKA}`)).toEqual(new Set());
    expect(await listed(center, 'consent=scouting')).toEqual(new Set());
  });

  it('exports the filtered people', async () => {
    const res = await center.request({ method: 'GET', url: '/api/people/export?stage=settled' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('フィルタ settled');
    expect(res.body).not.toContain('フィルタ migrated');
  });

  it('names the field of an unknown stage or purpose', async () => {
    const res = await center.request({ method: 'GET', url: '/api/people?stage=famous&consent=spam' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['consent', 'stage']);
  });
});
