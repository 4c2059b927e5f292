/**
 * A real Kankei server on a loopback port for browser tests: in-memory PGlite, migrated,
 * municipalities seeded, an admin account, and the built web UI (web/dist) served at `/`.
 */
import { buildApp, WEB_ROOT } from '../../src/app.js';
import { openDatabase } from '../../src/platform/db/client.js';
import { seedYamagataPlaces } from '../../src/modules/places/places.service.js';
import { ensureFirstAdmin } from '../../src/seed/seed.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './app.js';

export type TestServer = { url: string; adminEmail: string; adminPassword: string; close(): Promise<void> };

export async function startTestServer(): Promise<TestServer> {
  const database = await openDatabase({ driver: 'pglite' });
  await database.migrate();
  await seedYamagataPlaces(database.db);
  await ensureFirstAdmin(database.db, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const app = await buildApp({ database, webRoot: WEB_ROOT, loginRateLimit: 1000 });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}
