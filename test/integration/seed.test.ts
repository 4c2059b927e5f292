/**
 * Seeding the demo accounts: their password is generated per database, returned once by the seed
 * that set it, stored only hashed, and a database still holding the retired fixed password (it
 * was in the code, so anyone knew it) gets a generated one at the next seed.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { TEST_DRIVERS } from '../helpers/db.js';
import { seedAll } from '../../src/seed/seed.js';
import { RETIRED_DEMO_PASSWORD } from '../../src/seed/demo.js';
import { staff } from '../../src/platform/auth/auth.tables.js';
import { hashPassword } from '../../src/platform/auth/password.js';

const CENTER_DEMO = 'center@demo.kankei.example';

describe.each(TEST_DRIVERS)('demo accounts on %s', (driver) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(driver);
  });
  afterAll(() => t?.close());

  const tryLogin = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });

  let firstPassword: string;

  it('get a password generated for this database, returned once and stored only hashed', async () => {
    const first = await seedAll(t.database.db, { demoData: true });
    expect(first.demo?.created).toBe(true);
    firstPassword = first.demo!.password!;
    expect(firstPassword).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(firstPassword).not.toBe(RETIRED_DEMO_PASSWORD);
    expect((await tryLogin(CENTER_DEMO, firstPassword)).statusCode).toBe(200);
    expect((await tryLogin(CENTER_DEMO, RETIRED_DEMO_PASSWORD)).statusCode).toBe(401);
    const hashes = await t.database.db.select({ hash: staff.passwordHash }).from(staff).where(eq(staff.isDemo, 1));
    expect(hashes).toHaveLength(4);
    for (const { hash } of hashes) {
      expect(hash).toMatch(/^\$argon2id\$/);
      expect(hash).not.toContain(firstPassword);
    }

    const again = await seedAll(t.database.db, { demoData: true });
    expect(again.demo).toMatchObject({ created: false, password: null });
    expect((await tryLogin(CENTER_DEMO, firstPassword)).statusCode).toBe(200);
  });

  it('replace the retired fixed password at the next seed, also with demo data turned off', async () => {
    const retiredHash = await hashPassword(RETIRED_DEMO_PASSWORD);
    await t.database.db.update(staff).set({ passwordHash: retiredHash }).where(eq(staff.email, CENTER_DEMO));
    expect((await tryLogin(CENTER_DEMO, RETIRED_DEMO_PASSWORD)).statusCode).toBe(200);

    const seeded = await seedAll(t.database.db, { demoData: false });
    const replacement = seeded.demo?.password;
    expect(replacement).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(replacement).not.toBe(firstPassword);
    expect((await tryLogin(CENTER_DEMO, RETIRED_DEMO_PASSWORD)).statusCode).toBe(401);
    expect((await tryLogin(CENTER_DEMO, replacement!)).statusCode).toBe(200);
    // Only the account that had the retired password changed.
    expect((await tryLogin('tsuruoka@demo.kankei.example', firstPassword)).statusCode).toBe(200);
    const audit = (await t.database.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'staff.password_reset' and details->>'reason' = 'retired_demo_password'`,
    )) as unknown as { rows: Array<{ n: number }> };
    expect(audit.rows[0]!.n).toBe(1);

    expect((await seedAll(t.database.db, { demoData: false })).demo).toBeNull();
  });
});
