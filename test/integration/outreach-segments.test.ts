/**
 * Segments over HTTP on both drivers: filters on ties and link kinds, stage (with a municipality
 * and highest), roots, skills, involvement, consents, certification, last engagement and an event
 * attended select exactly the people they say; the count is live; a saved segment lists its people
 * now; municipality staff see only their municipality's people and segments, partners nothing; every
 * list is audited with the ids it showed.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certifications } from '../../src/modules/donations/index.js';
import { engagements } from '../../src/modules/engagement/index.js';
import { consents, people, personLinks, supporterProfiles } from '../../src/modules/people/index.js';
import { derivedColumns } from '../../src/modules/people/people.service.js';
import { searchKey } from '../../src/shared/normalize.js';
import { createTestApp, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('segments on %s', (driver) => {
  let t: TestApp;
  let center: Session;
  let yamagataStaff: Session;
  let partner: Session;
  const ids: Record<string, string> = {};

  async function person(
    name: string,
    p: {
      links: Array<[string, string]>;
      roots?: string[];
      skills?: string[];
      involvement?: string[];
      consents?: Array<[string, boolean]>;
      certified?: boolean;
      engaged?: Array<[string, string, string]>;
    },
  ) {
    const db = t.database.db;
    const fields = { name, kana: null, email: null, phone: null };
    const [row] = await db
      .insert(people)
      .values({ ...fields, ...derivedColumns(fields) })
      .returning({ id: people.id });
    const personId = row!.id;
    ids[name] = personId;
    for (const [code, kind] of p.links) await db.insert(personLinks).values({ personId, municipalityCode: code, kind });
    if (p.roots || p.skills || p.involvement)
      await db.insert(supporterProfiles).values({
        personId,
        roots: p.roots ?? [],
        skills: p.skills ?? [],
        skillKeys: (p.skills ?? []).map(searchKey),
        involvement: p.involvement ?? [],
      });
    for (const [i, [purpose, granted]] of (p.consents ?? []).entries())
      await db.insert(consents).values({
        personId,
        purpose,
        granted,
        source: 'self_service',
        recordedAt: new Date(Date.now() - (10 - i) * 60_000),
      });
    if (p.certified)
      await db
        .insert(certifications)
        .values({ personId, kind: 'kokoro_furusato', prefectureCode: '06', since: '2025-01-01' });
    for (const [code, kind, on] of p.engaged ?? [])
      await db.insert(engagements).values({ personId, municipalityCode: code, kind, occurredOn: on, source: 'manual' });
  }

  const preview = (s: Session, filters: Record<string, unknown>, limit = 100) =>
    s.request({ method: 'POST', url: '/api/segments/preview', payload: { filters, limit } });
  const names = async (s: Session, filters: Record<string, unknown>) => {
    const res = await preview(s, filters);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { total: number; items: Array<{ id: string }> };
    expect(body.total).toBe(body.items.length);
    const byId = new Map(Object.entries(ids).map(([n, id]) => [id, n]));
    return body.items.map((i) => byId.get(i.id)).sort();
  };

  beforeAll(async () => {
    t = await createTestApp(driver);
    center = await t.staffSession('center_staff');
    yamagataStaff = await t.staffSession('municipality_staff', YAMAGATA);
    partner = await t.staffSession('partner');
    await person('山形 応援', {
      links: [[YAMAGATA, 'supporter']],
      roots: ['parents_birthplace'],
      skills: ['デザイン'],
      involvement: ['side_job'],
      consents: [['newsletter', true]],
      certified: true,
      engaged: [[YAMAGATA, 'event', '2026-05-01']],
    });
    await person('山形 関心', {
      links: [[YAMAGATA, 'interest']],
      consents: [
        ['newsletter', true],
        ['newsletter', false],
      ],
    });
    await person('鶴岡 副業', {
      links: [[TSURUOKA, 'supporter']],
      skills: ['ｄｅｓｉｇｎ'],
      involvement: ['volunteering'],
      consents: [['newsletter', true]],
      engaged: [
        [TSURUOKA, 'side_job', '2025-03-01'],
        [TSURUOKA, 'event', '2026-09-01'],
      ],
    });
    await person('両方 移住', {
      links: [
        [YAMAGATA, 'interest'],
        [TSURUOKA, 'moved_in'],
      ],
      roots: ['furusato_donor'],
    });
  });
  afterAll(() => t?.close());

  it('selects by ties and link kinds', async () => {
    expect(await names(center, { municipalities: [YAMAGATA] })).toEqual(['両方 移住', '山形 応援', '山形 関心']);
    expect(await names(center, { linkKinds: ['supporter'] })).toEqual(['山形 応援', '鶴岡 副業']);
    expect(await names(center, { municipalities: [YAMAGATA], linkKinds: ['interest'] })).toEqual([
      '両方 移住',
      '山形 関心',
    ]);
  });

  it('selects by stage with a municipality and by highest stage', async () => {
    expect(await names(center, { municipalities: [TSURUOKA], stage: 'collaboration' })).toEqual(['鶴岡 副業']);
    expect(await names(center, { stage: 'exchange', municipalities: [YAMAGATA] })).toEqual(['山形 応援']);
    expect(await names(center, { stage: 'migrated', stageOf: 'highest' })).toEqual(['両方 移住']);
    expect(await names(center, { stage: 'interest', stageOf: 'highest' })).toEqual(['山形 関心']);
  });

  it('selects by roots, skills (as compared), involvement, consents in force and certification', async () => {
    expect(await names(center, { roots: ['furusato_donor', 'parents_birthplace'] })).toEqual([
      '両方 移住',
      '山形 応援',
    ]);
    expect(await names(center, { skills: ['デザイン', 'design'] })).toEqual(['山形 応援', '鶴岡 副業']);
    expect(await names(center, { involvement: ['volunteering'] })).toEqual(['鶴岡 副業']);
    expect(await names(center, { consents: ['newsletter'] })).toEqual(['山形 応援', '鶴岡 副業']);
    expect(await names(center, { certified: true })).toEqual(['山形 応援']);
    expect(await names(center, { certified: false, municipalities: [YAMAGATA] })).toEqual(['両方 移住', '山形 関心']);
  });

  it('selects by last engagement date', async () => {
    expect(await names(center, { engagedFrom: '2026-06-01' })).toEqual(['鶴岡 副業']);
    expect(await names(center, { engagedFrom: '2026-01-01', engagedTo: '2026-06-30' })).toEqual(['山形 応援']);
  });

  it('keeps municipality staff to their municipality’s people and refuses partners', async () => {
    expect(await names(yamagataStaff, {})).toEqual(['両方 移住', '山形 応援', '山形 関心']);
    expect(await names(yamagataStaff, { municipalities: [TSURUOKA] })).toEqual(['両方 移住']);
    expect((await preview(partner, {})).statusCode).toBe(404);
    expect((await partner.request({ method: 'GET', url: '/api/segments' })).statusCode).toBe(403);
  });

  it('saves a segment, lists its people as they are now, and audits each list with the ids shown', async () => {
    const created = await yamagataStaff.request({
      method: 'POST',
      url: '/api/segments',
      payload: { name: 'メルマガ同意の山形サポーター', filters: { consents: ['newsletter'] } },
    });
    expect(created.statusCode, created.body).toBe(201);
    const segment = created.json();
    expect(segment.municipalityCode).toBe(YAMAGATA);
    const listed = await yamagataStaff.request({ method: 'GET', url: `/api/segments/${segment.id}/people` });
    expect(listed.json().items.map((p: { id: string }) => p.id)).toEqual([ids['山形 応援']]);
    // The center sees the segment and, with its own scope, Tsuruoka's consenting supporter too.
    const wider = await center.request({ method: 'GET', url: `/api/segments/${segment.id}/people` });
    expect(wider.json().total).toBe(2);
    // Live: a consent withdrawn leaves the segment at the next read.
    await t.database.db
      .insert(consents)
      .values({ personId: ids['山形 応援']!, purpose: 'newsletter', granted: false, source: 'self_service' });
    const after = await yamagataStaff.request({ method: 'GET', url: `/api/segments/${segment.id}/people` });
    expect(after.json()).toEqual({ total: 0, items: [] });
    const audit = (await t.database.db.execute(
      sql`select details from audit_events where action = 'segment.people' and entity_id = ${segment.id} order by at`,
    )) as unknown as { rows: Array<{ details: { personIds: string[] } }> };
    expect(audit.rows.map((r) => r.details.personIds.length)).toEqual([1, 2, 0]);
  });

  it('shows municipality staff their municipality’s and prefecture-wide segments only, and lets only owners change them', async () => {
    const tsuruokaStaff = await t.staffSession('municipality_staff', TSURUOKA);
    const theirs = await tsuruokaStaff.request({
      method: 'POST',
      url: '/api/segments',
      payload: { name: '鶴岡の副業', filters: { stage: 'collaboration', municipalities: [TSURUOKA] } },
    });
    const wide = await center.request({
      method: 'POST',
      url: '/api/segments',
      payload: { name: '県全体', filters: {} },
    });
    const mine = (await yamagataStaff.request({ method: 'GET', url: '/api/segments' }))
      .json()
      .items.map((s: { name: string }) => s.name);
    expect(mine).toContain('県全体');
    expect(mine).not.toContain('鶴岡の副業');
    expect((await yamagataStaff.request({ method: 'GET', url: `/api/segments/${theirs.json().id}` })).statusCode).toBe(
      404,
    );
    expect(
      (await yamagataStaff.request({ method: 'PATCH', url: `/api/segments/${wide.json().id}`, payload: { name: 'x' } }))
        .statusCode,
    ).toBe(403);
    const renamed = await tsuruokaStaff.request({
      method: 'PATCH',
      url: `/api/segments/${theirs.json().id}`,
      payload: { name: '鶴岡の副業（改）' },
    });
    expect(renamed.json().name).toBe('鶴岡の副業（改）');
    const removed = await tsuruokaStaff.request({ method: 'DELETE', url: `/api/segments/${theirs.json().id}` });
    expect(removed.statusCode).toBe(204);
  });

  it('refuses bad filters naming the field', async () => {
    const res = await preview(center, { stage: 'nowhere', municipalities: ['12'] });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['filters.municipalities.0', 'filters.stage']);
  });
});
