import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engagements } from '../../src/modules/engagement/index.js';
import { findProjectCandidates } from '../../src/modules/matching/matching.candidates.js';
import { PROJECT_KINDS, type ProjectNeeds } from '../../src/modules/matching/index.js';
import { consents, people, personLinks, supporterProfiles } from '../../src/modules/people/index.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { INVOLVEMENT_KINDS, LINK_KINDS } from '../../src/shared/domain.js';
import { searchKey } from '../../src/shared/normalize.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const NEEDS: ProjectNeeds = {
  kind: 'side_job',
  municipalityCode: '062014',
  requiredSkills: ['デザイン', 'Python'],
  welcomeSkills: ['写真'],
  hoursPerMonth: 20,
  remoteShare: 50,
};

type Seed = {
  name: string;
  skills: string[];
  involvement?: string[];
  hours?: number | null;
  prefecture?: string | null;
  /** Scouting decisions, oldest first (none: never asked → off). */
  scouting?: boolean[];
  links?: Array<{ municipalityCode: string; kind: string }>;
  records?: Array<{ municipalityCode: string; kind: string; occurredOn: string }>;
  deleted?: boolean;
};

describe.each(TEST_DRIVERS)('project candidates in SQL on %s', (driver) => {
  let t: TestApp;
  const ids = new Map<string, string>();

  async function seed(s: Seed) {
    const db = t.database.db;
    const fields = { name: s.name, kana: null, email: null, phone: null };
    const [row] = await db
      .insert(people)
      .values({
        ...fields,
        ...derivedColumns(fields),
        prefecture: s.prefecture ?? null,
        deletedAt: s.deleted ? new Date() : null,
      })
      .returning({ id: people.id });
    const personId = row!.id;
    ids.set(s.name, personId);
    await db.insert(supporterProfiles).values({
      personId,
      skills: s.skills,
      skillKeys: [...new Set(s.skills.map(searchKey))],
      involvement: s.involvement ?? [],
      hoursPerMonth: s.hours ?? null,
    });
    for (const [i, granted] of (s.scouting ?? []).entries())
      await db.insert(consents).values({
        personId,
        purpose: 'scouting',
        granted,
        source: 'self_service',
        recordedAt: new Date(Date.now() - (10 - i) * 60_000),
      });
    if (s.links?.length) await db.insert(personLinks).values(s.links.map((l) => ({ personId, ...l })));
    if (s.records?.length)
      await db.insert(engagements).values(s.records.map((r) => ({ personId, ...r, source: 'manual' })));
  }

  beforeAll(async () => {
    t = await createTestApp(driver);
    // A: every required skill, roots and a side job in Yamagata city (協働), side-job involvement.
    await seed({
      name: '候補 A',
      skills: ['デザイン', 'Python'],
      involvement: ['side_job'],
      hours: 20,
      prefecture: '東京都',
      scouting: [true],
      links: [{ municipalityCode: '062014', kind: 'roots' }],
      records: [{ municipalityCode: '062014', kind: 'side_job', occurredOn: '2024-05-01' }],
    });
    // E: one required skill written another way (python), a welcome skill, lives in Yamagata.
    await seed({
      name: '候補 E',
      skills: ['python', '写真'],
      involvement: ['online'],
      hours: 10,
      prefecture: '山形県',
      scouting: [false, true],
    });
    // G: half-width デザイン only, linked to Tsuruoka (for the scope case).
    await seed({
      name: '候補 G',
      skills: ['ﾃﾞｻﾞｲﾝ'],
      scouting: [true],
      links: [{ municipalityCode: '062031', kind: 'interest' }],
    });
    // Never returned: consent withdrawn, never given, no shared skill, deleted.
    await seed({ name: '撤回 B', skills: ['デザイン', 'Python', '写真'], scouting: [true, false] });
    await seed({ name: '未同意 D', skills: ['デザイン', 'Python', '写真'] });
    await seed({ name: '無関係 C', skills: ['経理'], scouting: [true] });
    await seed({ name: '削除 F', skills: ['デザイン', 'Python'], scouting: [true], deleted: true });
  });
  afterAll(() => t?.close());

  it('returns the best consenting people with their scores and reasons, best first', async () => {
    const found = await findProjectCandidates(t.database.db, NEEDS, { limit: 10, asOf: '2026-03-15' });
    expect(found.map((c) => [c.personId, c.score])).toEqual([
      [ids.get('候補 A'), 88],
      [ids.get('候補 E'), 35],
      [ids.get('候補 G'), 14],
    ]);
    const a = found[0]!;
    expect(a.reasons.map((r) => [r.factor, r.points])).toEqual([
      ['required_skills_matched', 40],
      ['municipality_tie', 10],
      ['stage', 9],
      ['involvement', 12],
      ['availability', 10],
      ['remote_fit', 4],
      ['earlier_participation', 3],
    ]);
    expect(a.reasons.find((r) => r.factor === 'stage')?.detail).toEqual({
      municipalityCode: '062014',
      stage: 'collaboration',
    });
    expect(found[1]!.reasons.find((r) => r.factor === 'required_skills_missing')?.detail).toEqual({
      skills: ['デザイン'],
    });
  });

  it('never returns people without a current scouting consent, deleted people or people sharing no skill', async () => {
    const found = await findProjectCandidates(t.database.db, NEEDS, { limit: 50 });
    const returned = new Set(found.map((c) => c.personId));
    for (const name of ['撤回 B', '未同意 D', '無関係 C', '削除 F']) expect(returned.has(ids.get(name)!)).toBe(false);
  });

  it('keeps to the limit and to the municipalities of the staff member', async () => {
    const two = await findProjectCandidates(t.database.db, NEEDS, { limit: 2 });
    expect(two.map((c) => c.personId)).toEqual([ids.get('候補 A'), ids.get('候補 E')]);
    const tsuruoka = await findProjectCandidates(t.database.db, NEEDS, { limit: 10, scopeMunicipalities: ['062031'] });
    expect(tsuruoka.map((c) => c.personId)).toEqual([ids.get('候補 G')]);
    expect(await findProjectCandidates(t.database.db, NEEDS, { limit: 10, scopeMunicipalities: [] })).toEqual([]);
    expect(
      await findProjectCandidates(t.database.db, { ...NEEDS, requiredSkills: [], welcomeSkills: [] }, { limit: 10 }),
    ).toEqual([]);
  });

  it('finds someone with few skill points but the strongest other factors (exact, not a sample)', async () => {
    // 60 more consenting people sharing a welcome skill: more than the first floor needs.
    for (let i = 0; i < 60; i++)
      await seed({ name: `追加 ${i}`, skills: ['写真'], scouting: [true], hours: i % 2 ? 40 : null });
    // Someone with a low skill rank but the strongest other factors must still be found.
    await seed({
      name: '地元 H',
      skills: ['写真'],
      involvement: ['side_job', 'visits'],
      hours: 40,
      prefecture: '山形県',
      scouting: [true],
      links: [{ municipalityCode: '062014', kind: 'moved_in' }],
      records: [{ municipalityCode: '062014', kind: 'moved_in', occurredOn: '2020-04-01' }],
    });
    const found = await findProjectCandidates(t.database.db, NEEDS, { limit: 3, asOf: '2026-03-15' });
    expect(found.map((c) => c.personId)).toEqual([ids.get('候補 A'), ids.get('地元 H'), ids.get('候補 E')]);
    expect(found[1]!.score).toBe(-20 + 6 + 10 + 12 + 12 + 10 + 8);
  });

  it('reads only people tied to the municipality when the floor rules out everyone else of a level, and no sooner', async () => {
    const woodwork = {
      ...NEEDS,
      requiredSkills: ['木工', '林業'],
      welcomeSkills: [],
      hoursPerMonth: 10,
      remoteShare: 0,
    };
    const found = async (limit: number) =>
      (await findProjectCandidates(t.database.db, woodwork, { limit, asOf: '2026-03-15' })).map((c) => [
        c.personId,
        c.score,
      ]);
    const elsewhere = (kind: 'side_job') =>
      Array.from({ length: 3 }, () => ({ municipalityCode: '062031', kind, occurredOn: '2025-10-01' }));
    // Both skills and nothing else: 40. The floor after the first level.
    await seed({ name: '木工 I', skills: ['木工', '林業'], prefecture: '東京都', scouting: [true] });
    // One skill, no tie with Yamagata city, every other factor: 20 − 10 + 12 + 10 + 8 + 9 = 49.
    await seed({
      name: '木工 J',
      skills: ['木工'],
      involvement: ['side_job'],
      hours: 10,
      prefecture: '山形県',
      scouting: [true],
      records: elsewhere('side_job'),
    });
    // Untied, this level can still reach 49 ≥ 40: J must be read.
    expect(await found(1)).toEqual([[ids.get('木工 J'), 49]]);
    // Both skills and a little more: 40 + 10 + 8 = 58 and 40 + 12 + 8 = 60. With a limit of 1 or 2
    // the floor passes 49, the most anyone untied with one skill can score: that level is read
    // through the people tied to Yamagata city alone.
    await seed({ name: '木工 K', skills: ['木工', '林業'], hours: 10, prefecture: '山形県', scouting: [true] });
    await seed({
      name: '木工 N',
      skills: ['木工', '林業'],
      involvement: ['side_job'],
      prefecture: '山形県',
      scouting: [true],
    });
    // One skill, but roots and a move to Yamagata city: 20 − 10 + 12 + 10 + 8 + 10 + 12 + 9 = 71.
    await seed({
      name: '木工 L',
      skills: ['林業'],
      involvement: ['side_job'],
      hours: 10,
      prefecture: '山形県',
      scouting: [true],
      links: [{ municipalityCode: '062014', kind: 'roots' }],
      records: [{ municipalityCode: '062014', kind: 'moved_in', occurredOn: '2020-04-01' }, ...elsewhere('side_job')],
    });
    // Tied by a record alone (no link): 20 − 10 + 12 + 10 + 8 + 12 + 9 = 61.
    await seed({
      name: '木工 M',
      skills: ['木工'],
      involvement: ['side_job'],
      hours: 10,
      prefecture: '山形県',
      scouting: [true],
      records: [{ municipalityCode: '062014', kind: 'moved_in', occurredOn: '2021-04-01' }, ...elsewhere('side_job')],
    });
    const [i, j, k, l, m, n] = ['I', 'J', 'K', 'L', 'M', 'N'].map((x) => ids.get(`木工 ${x}`));
    expect(await found(1)).toEqual([[l, 71]]);
    expect(await found(2)).toEqual([
      [l, 71],
      [m, 61],
    ]);
    expect(await found(6)).toEqual([
      [l, 71],
      [m, 61],
      [n, 60],
      [k, 58],
      [j, 49],
      [i, 40],
    ]);
  });
});

describe.each(TEST_DRIVERS)('project candidates: the pruned search equals scoring everyone on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  const SKILLS = ['デザイン', 'Python', '写真', '農業', '経理'];
  const CODES = ['062014', '062031'];
  const person = fc.record({
    skills: fc.uniqueArray(fc.constantFrom(...SKILLS), { minLength: 1, maxLength: 4 }),
    involvement: fc.uniqueArray(fc.constantFrom(...INVOLVEMENT_KINDS), { maxLength: 3 }),
    hours: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    prefecture: fc.constantFrom('山形県', '東京都', null),
    scouting: fc.constantFrom([true], [false], [], [false, true], [true, true]),
    links: fc.uniqueArray(
      fc.record({ municipalityCode: fc.constantFrom(...CODES), kind: fc.constantFrom(...LINK_KINDS) }),
      { maxLength: 2, selector: (l) => `${l.municipalityCode}${l.kind}` },
    ),
    records: fc.array(
      fc.record({
        municipalityCode: fc.constantFrom(...CODES),
        kind: fc.constantFrom('event', 'side_job', 'volunteering', 'moved_in', 'two_region_living'),
        occurredOn: fc.constantFrom('2024-05-01', '2025-10-01', '2027-01-01'),
      }),
      { maxLength: 3 },
    ),
    deleted: fc.boolean().map((b) => b && Math.random() < 0.2),
  });
  const needs = fc.record({
    kind: fc.constantFrom(...PROJECT_KINDS),
    municipalityCode: fc.constantFrom(...CODES),
    requiredSkills: fc.uniqueArray(fc.constantFrom(...SKILLS), { maxLength: 3 }),
    welcomeSkills: fc.uniqueArray(fc.constantFrom(...SKILLS), { maxLength: 3 }),
    hoursPerMonth: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
    remoteShare: fc.constantFrom(0, 25, 50, 100),
  });
  let run = 0;

  it('property: the limit best are exactly the first `limit` of everyone scored, scores and order', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Many more people than the limit, so that floors form and the bounds prune.
        fc.array(person, { minLength: 20, maxLength: 60 }),
        needs,
        fc.integer({ min: 1, max: 4 }),
        async (crowd, need, limit) => {
          // Each run speaks its own skills, so that earlier runs' people share none with it.
          const tag = `r${run++}`;
          const own = (s: string) => `${s}${tag}`;
          const db = t.database.db;
          // One INSERT per table for the whole crowd.
          const rows = crowd.map((s) => ({ s, personId: randomUUID(), skills: s.skills.map(own) }));
          const fields = { name: '照合 試験', kana: null, email: null, phone: null };
          await db.insert(people).values(
            rows.map(({ s, personId }) => ({
              id: personId,
              ...fields,
              ...derivedColumns(fields),
              prefecture: s.prefecture,
              deletedAt: s.deleted ? new Date() : null,
            })),
          );
          await db.insert(supporterProfiles).values(
            rows.map(({ s, personId, skills }) => ({
              personId,
              skills,
              skillKeys: [...new Set(skills.map(searchKey))],
              involvement: s.involvement,
              hoursPerMonth: s.hours,
            })),
          );
          const decisions = rows.flatMap(({ s, personId }) =>
            s.scouting.map((granted, i) => ({
              personId,
              purpose: 'scouting',
              granted,
              source: 'self_service',
              recordedAt: new Date(Date.now() - (10 - i) * 60_000),
            })),
          );
          if (decisions.length) await db.insert(consents).values(decisions);
          const links = rows.flatMap(({ s, personId }) => s.links.map((l) => ({ personId, ...l })));
          if (links.length) await db.insert(personLinks).values(links);
          const records = rows.flatMap(({ s, personId }) =>
            s.records.map((r) => ({ personId, ...r, source: 'manual' })),
          );
          if (records.length) await db.insert(engagements).values(records);
          const project = {
            ...need,
            requiredSkills: need.requiredSkills.map(own),
            welcomeSkills: need.welcomeSkills.map(own),
          };
          const asOf = '2026-03-15';
          // With a limit above everyone, no floor ever forms: every level is read whole.
          const everyone = await findProjectCandidates(db, project, { limit: 1000, asOf });
          const best = await findProjectCandidates(db, project, { limit, asOf });
          expect(best).toEqual(everyone.slice(0, limit));
          for (const c of everyone) expect(c.score).toBe(c.reasons.reduce((sum, r) => sum + r.points, 0));
        },
      ),
      { numRuns: driver === 'pglite' ? 60 : 30 },
    );
  }, 120_000);
});
