/**
 * Kept KPI figures (src/modules/kpi/kpi.kept.ts) equal a recompute from the raw records after any
 * sequence of writes: random engagement records added and removed, people deleted and brought
 * back, moves, check-ins, headcounts and events called off — interleaved with reads through the
 * API that keep figures — then every indicator of every year read through the API is compared with
 * the rules' SQL run on the raw records (property test, both drivers).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { seedKpiPlans } from '../../src/modules/kpi/index.js';
import { systemContext } from '../../src/platform/request-context.js';
import {
  continuingRows,
  exchangeRows,
  relationshipRows,
  uijMoverRows,
  type FigureRow,
} from '../../src/modules/kpi/kpi.queries.js';
import { ENGAGEMENT_KINDS } from '../../src/shared/domain.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';
const M = [YAMAGATA, TSURUOKA] as const;
const DAYS = ['2024-03-31', '2024-04-01', '2024-11-11', '2025-03-31', '2025-04-01', '2025-08-20'];
const YEARS = [2024, 2025];

type Op =
  | { op: 'record'; person: number; municipality: number; kind: number; day: number }
  | { op: 'unrecord'; pick: number }
  | { op: 'delete_person'; person: number }
  | { op: 'restore_person'; person: number }
  | { op: 'move'; person: number; municipality: number; day: number; household: number }
  | { op: 'check_in'; person: number; day: number }
  | { op: 'headcount'; day: number; count: number }
  | { op: 'toggle_event' }
  | { op: 'read'; year: number };

describe.each(TEST_DRIVERS)('kept KPI figures on %s', (driver) => {
  let t: TestApp;
  let eventId = '';
  const people: string[] = [];
  const db = () => t.database.db;
  const exec = (q: ReturnType<typeof sql>) => db().execute(q);

  const actuals = async (fy: number, municipality?: string) => {
    const m = municipality ? `&municipality=${municipality}` : '';
    const res = await t.admin.request({ method: 'GET', url: `/api/kpi/actuals?fiscalYear=${fy}&plan=national${m}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Array<{ code: string; actual: number | null }> };
  };

  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedKpiPlans(db(), systemContext());
    // A plan carrying every computed indicator, so one read keeps them all.
    const plan = await t.admin.request({
      method: 'POST',
      url: '/api/kpi/plans',
      payload: {
        code: 'national',
        nameJa: '全指標',
        nameEn: 'All indicators',
        fromFiscalYear: 2024,
        toFiscalYear: 2025,
        indicators: ['uij_movers', 'relationship_created', 'exchange_created', 'continuing_participants'].map(
          (code) => ({ code, labelJa: code, labelEn: code, unit: 'people', baseline: 0, targets: [] }),
        ),
      },
    });
    expect(plan.statusCode, plan.body).toBe(201);
    for (let i = 0; i < 4; i++) {
      const res = await t.admin.request({
        method: 'POST',
        url: '/api/people',
        payload: personPayload({ links: [{ municipalityCode: M[i % 2]!, kind: 'supporter' }] }),
      });
      people.push(res.json().id);
    }
    const [row] = (
      (await exec(
        sql`insert into events (kind, title, starts_at, ends_at, venue_municipality_code)
            values ('fair', 'テスト', '2024-04-01T10:00:00+09:00', '2025-08-20T18:00:00+09:00', ${YAMAGATA}) returning id`,
      )) as unknown as { rows: Array<{ id: string }> }
    ).rows;
    eventId = row!.id;
  });
  afterAll(() => t?.close());

  const apply = async (o: Op) => {
    switch (o.op) {
      case 'record':
        return exec(
          sql`insert into engagements (person_id, municipality_code, kind, occurred_on, source, external_key)
              values (${people[o.person]!}, ${M[o.municipality]!}, ${ENGAGEMENT_KINDS[o.kind]!}, ${DAYS[o.day]!}, 'manual', ${randomUUID()})`,
        );
      case 'unrecord':
        return exec(
          sql`delete from engagements where id = (select id from engagements order by id offset ${o.pick} % greatest(1, (select count(*) from engagements)) limit 1)`,
        );
      case 'delete_person':
        return exec(sql`update people set deleted_at = now() where id = ${people[o.person]!}`);
      case 'restore_person':
        return exec(sql`update people set deleted_at = null where id = ${people[o.person]!}`);
      case 'move': {
        const caseId = randomUUID();
        await exec(
          sql`insert into cases (id, person_id, municipality_code, step, step_on, opened_on, moved_municipality_code, moved_on)
              values (${caseId}, ${people[o.person]!}, ${M[o.municipality]!}, 'settled', ${DAYS[o.day]!}, '2024-01-01', ${M[o.municipality]!}, ${DAYS[o.day]!})`,
        );
        return exec(
          sql`insert into case_steps (case_id, person_id, step, occurred_on, municipality_code, household_size)
              values (${caseId}, ${people[o.person]!}, 'moved', ${DAYS[o.day]!}, ${M[o.municipality]!}, ${o.household})`,
        );
      }
      case 'check_in':
        return exec(
          sql`insert into event_registrations (event_id, person_id, qr_token_hash, checked_in_at)
              values (${eventId}, ${people[o.person]!}, ${randomUUID()}, ${`${DAYS[o.day]!}T12:00:00+09:00`}::timestamptz)
              on conflict (person_id, event_id) do update set checked_in_at = excluded.checked_in_at`,
        );
      case 'headcount':
        return exec(
          sql`insert into event_headcounts (event_id, counted_on, count) values (${eventId}, ${DAYS[o.day]!}, ${o.count})`,
        );
      case 'toggle_event':
        return exec(
          sql`update events set status = case when status = 'cancelled' then 'published' else 'cancelled' end where id = ${eventId}`,
        );
      case 'read':
        return actuals(YEARS[o.year]!);
    }
  };

  const sum = (rows: FigureRow[], fy: number, m: string | null) =>
    rows.filter((r) => r.fiscalYear === fy && (!m || r.municipalityCode === m)).reduce((s, r) => s + r.value, 0);

  it('equal a recompute from the raw records after random sequences of writes and reads (property)', async () => {
    const n = (max: number) => fc.integer({ min: 0, max });
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constant('record' as const),
        person: n(3),
        municipality: n(1),
        kind: n(ENGAGEMENT_KINDS.length - 1),
        day: n(DAYS.length - 1),
      }),
      fc.record({ op: fc.constant('unrecord' as const), pick: n(50) }),
      fc.record({ op: fc.constant('delete_person' as const), person: n(3) }),
      fc.record({ op: fc.constant('restore_person' as const), person: n(3) }),
      fc.record({
        op: fc.constant('move' as const),
        person: n(3),
        municipality: n(1),
        day: n(DAYS.length - 1),
        household: fc.integer({ min: 1, max: 5 }),
      }),
      fc.record({ op: fc.constant('check_in' as const), person: n(3), day: n(DAYS.length - 1) }),
      fc.record({
        op: fc.constant('headcount' as const),
        day: n(DAYS.length - 1),
        count: fc.integer({ min: 1, max: 40 }),
      }),
      fc.record({ op: fc.constant('toggle_event' as const) }),
      fc.record({ op: fc.constant('read' as const), year: n(1) }),
      fc.record({ op: fc.constant('read' as const), year: n(1) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) await apply(o);
        const range = { fromFiscalYear: 2024, toFiscalYear: 2025 };
        const [moves, relationship, exchange, continuing] = await Promise.all([
          uijMoverRows(db(), range),
          relationshipRows(db(), range),
          exchangeRows(db(), range),
          continuingRows(db(), range),
        ]);
        for (const fy of YEARS) {
          for (const m of [null, ...M]) {
            const got = new Map((await actuals(fy, m ?? undefined)).items.map((i) => [i.code, i.actual]));
            const where = `FY${fy} ${m ?? 'all'} after ${JSON.stringify(ops)}`;
            expect(got.get('uij_movers'), `① ${where}`).toBe(sum(moves, fy, m));
            expect(got.get('relationship_created'), `② ${where}`).toBe(sum(relationship, fy, m));
            expect(got.get('exchange_created'), `③ ${where}`).toBe(sum(exchange, fy, m));
            const row = m
              ? continuing.byMunicipality.find((r) => r.fiscalYear === fy && r.municipalityCode === m)
              : continuing.total.find((r) => r.fiscalYear === fy);
            expect(got.get('continuing_participants'), `例2 ${where}`).toBe(row?.continuing ?? 0);
          }
        }
      }),
      { numRuns: 15 },
    );
    // The figures were kept (not recomputed on every read).
    const kept = (await exec(sql`select count(*)::int as n from kpi_kept_figures`)) as unknown as {
      rows: Array<{ n: number }>;
    };
    expect(kept.rows[0]!.n).toBeGreaterThan(0);
  });
});
