/**
 * Mail burst: N public sign-ups at once (default 300), then the time until every confirmation
 * mail has arrived at a real SMTP server (smtp-server on loopback) — what a new supporter waits
 * for their link when a campaign brings many at once. Queue settings are production's: pg-boss
 * (default polling) on PostgreSQL, the in-process queue on PGlite.
 *
 * Run alone: `npx tsx bench/mail-burst.ts` (BENCH_MAIL_COUNT, default 300; PostgreSQL as well when
 * TEST_DATABASE_URL is set).
 */
import { performance } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { createInProcessQueue, createPgBossQueue } from '../src/platform/jobs.js';
import { seedYamagataPlaces } from '../src/modules/places/places.service.js';
import { createTestDatabase, TEST_DRIVERS } from '../test/helpers/db.js';
import { startTestSmtp } from '../test/helpers/smtp.js';

const COUNT = Number(process.env.BENCH_MAIL_COUNT ?? 300);

for (const driver of TEST_DRIVERS) {
  const smtp = await startTestSmtp();
  const database = await createTestDatabase(driver);
  await seedYamagataPlaces(database.db);
  const app = await buildApp({
    database,
    webRoot: '/nonexistent',
    smtpUrl: smtp.url,
    publicUrl: 'https://kankei.example.jp',
    publicRateLimit: 100_000,
    minFormFillMs: 0,
    jobs: database.url ? createPgBossQueue(database.url) : createInProcessQueue(),
  });
  await app.ready();
  try {
    const form = async () =>
      ((await app.inject({ method: 'GET', url: '/api/public/registration-form' })).json() as { formToken: string })
        .formToken;
    const tokens = await Promise.all(Array.from({ length: COUNT }, form));
    const started = performance.now();
    const answers = await Promise.all(
      tokens.map((formToken, i) =>
        app.inject({
          method: 'POST',
          url: '/api/public/registrations',
          payload: {
            email: `burst${i}@example.jp`,
            name: '一斉 登録',
            municipalityCodes: ['062014'],
            consents: { newsletter: false, shareWithMunicipalities: false, anonymousStatistics: false },
            formToken,
          },
        }),
      ),
    );
    const accepted = performance.now() - started;
    if (answers.some((a) => a.statusCode !== 202))
      throw new Error(`sign-up refused: ${answers.find((a) => a.statusCode !== 202)!.body}`);
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 20 * 60_000;
      const check = () =>
        smtp.messages.length >= COUNT
          ? resolve()
          : Date.now() > deadline
            ? reject(new Error(`${smtp.messages.length} of ${COUNT} after 20 min`))
            : setTimeout(check, 50);
      check();
    });
    const delivered = performance.now() - started;
    console.log(
      `${driver}: ${COUNT} sign-ups answered in ${(accepted / 1000).toFixed(1)} s; all ${COUNT} confirmations delivered after ${(delivered / 1000).toFixed(1)} s (${(COUNT / (delivered / 1000)).toFixed(1)} mails/s)`,
    );
  } finally {
    await app.close();
    await database.destroy();
    await smtp.close();
  }
}
