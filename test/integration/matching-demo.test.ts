/** The demo issues, projects and matches: marked 【デモ】, at different steps, seeded once. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoMatching } from '../../src/modules/matching/index.js';
import { seedAll } from '../../src/seed/seed.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';

describe.each(TEST_DRIVERS)('demo matching data on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
    await seedAll(t.database.db, { demoData: true });
  });
  afterAll(() => t?.close());

  it('has issues, projects and matches at different steps, all marked 【デモ】, and seeds them once', async () => {
    const issues = (await t.admin.request({ method: 'GET', url: '/api/regional-issues' })).json();
    expect(issues.items.map((i: { status: string }) => i.status).sort()).toEqual([
      'brushing_up',
      'published',
      'raised',
    ]);
    for (const i of issues.items) expect(i.title.startsWith('【デモ】')).toBe(true);
    const matches = (await t.admin.request({ method: 'GET', url: '/api/matches' })).json();
    expect(matches.items.map((m: { step: string }) => m.step).sort()).toEqual(['agreed', 'collaborating', 'proposed']);
    const collaborating = matches.items.find((m: { step: string }) => m.step === 'collaborating');
    const detail = (await t.admin.request({ method: 'GET', url: `/api/matches/${collaborating.id}` })).json();
    expect(detail.accompaniment).toHaveLength(2);
    const projects = (await t.app.inject({ method: 'GET', url: '/api/public/projects' })).json();
    expect(projects.items).toHaveLength(2);
    expect(await seedDemoMatching(t.database.db)).toBe(false);
    const [held] = (
      (await t.database.db.execute(
        sql`select (select filled_count from projects where kind = 'side_job' and is_demo = 1) as filled, (select count(*)::int from matches where holds_seat = 1) as holding`,
      )) as unknown as { rows: Array<{ filled: number; holding: number }> }
    ).rows;
    expect(held).toEqual({ filled: 2, holding: 2 });
  });
});
