/**
 * A real Kankei server on a loopback port for browser tests: in-memory PGlite, migrated,
 * municipalities seeded, an admin account, and the built web UI (web/dist) served at `/`.
 */
import { buildApp, WEB_ROOT } from '../../src/app.js';
import { openDatabase, type Database } from '../../src/platform/db/client.js';
import { seedYamagataPlaces } from '../../src/modules/places/places.service.js';
import { ensureFirstAdmin, seedCertificationRules } from '../../src/seed/seed.js';
import { createInProcessQueue } from '../../src/platform/jobs.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './app.js';

export type TestServer = {
  url: string;
  adminEmail: string;
  adminPassword: string;
  /** The server's database, for what a test needs and no page shows (a ticket's token). */
  db: Database['db'];
  close(): Promise<void>;
};

export type TestServerOptions = {
  /** Deliver mail to this SMTP server (see test/helpers/smtp.ts). */
  smtpUrl?: string;
  /** Minimum form fill time for public sign-ups; 0 in tests unless a test checks it. */
  minFormFillMs?: number;
};

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = await openDatabase({ driver: 'pglite' });
  await database.migrate();
  await seedYamagataPlaces(database.db);
  await seedCertificationRules(database.db);
  await ensureFirstAdmin(database.db, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  // Listen first: the public URL (links in mails, card QR codes) must name the real port.
  const probe = await import('node:net').then(
    ({ createServer }) =>
      new Promise<number>((resolve) => {
        const srv = createServer().listen(0, '127.0.0.1', () => {
          const { port } = srv.address() as { port: number };
          srv.close(() => resolve(port));
        });
      }),
  );
  const port = probe;
  const app = await buildApp({
    database,
    webRoot: WEB_ROOT,
    loginRateLimit: 1000,
    publicRateLimit: 1000,
    minFormFillMs: options.minFormFillMs ?? 0,
    smtpUrl: options.smtpUrl,
    publicUrl: `http://127.0.0.1:${port}`,
    jobs: createInProcessQueue({ retryDelayMs: () => 200 }),
  });
  await app.listen({ host: '127.0.0.1', port });
  return {
    url: `http://127.0.0.1:${port}`,
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
    db: database.db,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
