/**
 * The dashboard's figures, per role over HTTP: every count a staff member sees is computed within
 * their scope, and equals the total of the list the figure links to — so a municipality staffer
 * never sees the prefecture's count beside a list that shows their own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, personPayload, type Session, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

const YAMAGATA = '062014';
const TSURUOKA = '062031';

describe.each(TEST_DRIVERS)('dashboard figures within scope on %s', (driver) => {
  let t: TestApp;
  let sessions: Record<string, Session>;

  beforeAll(async () => {
    t = await createTestApp(driver);
    sessions = {
      admin: t.admin,
      center: await t.staffSession('center_staff'),
      yamagata: await t.staffSession('municipality_staff', YAMAGATA),
      tsuruoka: await t.staffSession('municipality_staff', TSURUOKA),
    };
    const create = async (links: { municipalityCode: string; kind: string }[]) => {
      const res = await t.admin.request({ method: 'POST', url: '/api/people', payload: personPayload({ links }) });
      expect(res.statusCode).toBe(201);
    };
    // Two people of Tsuruoka only, one of Yamagata only, one tied to both.
    await create([{ municipalityCode: TSURUOKA, kind: 'roots' }]);
    await create([{ municipalityCode: TSURUOKA, kind: 'interest' }]);
    await create([{ municipalityCode: YAMAGATA, kind: 'supporter' }]);
    await create([
      { municipalityCode: YAMAGATA, kind: 'supporter' },
      { municipalityCode: TSURUOKA, kind: 'interest' },
    ]);
  });
  afterAll(() => t?.close());

  const mapCounts = async (s: Session) => {
    const res = await s.request({ method: 'GET', url: '/api/stats/people-by-municipality' });
    expect(res.statusCode).toBe(200);
    return new Map(
      (res.json() as { municipalityCode: string; count: number }[]).map((r) => [r.municipalityCode, r.count]),
    );
  };
  const listTotal = async (s: Session, code: string) => {
    const res = await s.request({ method: 'GET', url: `/api/people?municipality=${code}&limit=1` });
    expect(res.statusCode).toBe(200);
    return (res.json() as { total: number }).total;
  };

  it.each([
    ['admin', { [YAMAGATA]: 2, [TSURUOKA]: 3 }],
    ['center', { [YAMAGATA]: 2, [TSURUOKA]: 3 }],
    // Yamagata's staffer sees Tsuruoka's count as the one shared person, as the list behind it does.
    ['yamagata', { [YAMAGATA]: 2, [TSURUOKA]: 1 }],
    ['tsuruoka', { [YAMAGATA]: 1, [TSURUOKA]: 3 }],
  ])('the map of %s counts what the list behind each municipality shows', async (role, expected) => {
    const session = sessions[role]!;
    const counts = await mapCounts(session);
    for (const [code, n] of Object.entries(expected)) {
      expect(counts.get(code) ?? 0, `${role} ${code}`).toBe(n);
      expect(await listTotal(session, code), `${role} list ${code}`).toBe(n);
    }
    for (const [code, n] of counts) expect(await listTotal(session, code), `${role} list ${code}`).toBe(n);
  });

  it('gives a partner no people counts (their work is referrals)', async () => {
    const partner = await t.staffSession('partner');
    expect((await mapCounts(partner)).size).toBe(0);
  });
});
