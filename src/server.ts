/**
 * Runs Kankei: opens the database chosen by the configuration, migrates, seeds, serves HTTP,
 * and shuts down cleanly on SIGTERM/SIGINT (in-flight requests finish, then the database
 * closes, so an embedded data folder is never left half-written).
 */
import path from 'node:path';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from './platform/config.js';
import { openDatabase, type Database } from './platform/db/client.js';
import { buildApp } from './app.js';
import { publicUrlOf } from './platform/public-url.js';
import { createInProcessQueue, createPgBossQueue } from './platform/jobs.js';
import { seedAll, type SeedResult } from './seed/seed.js';
import { createLogger, logFormatFor } from './platform/log-output.js';
import type { HeldMailNotice } from './platform/mail/mail.service.js';

/**
 * A held mail on the console of someone running Kankei in a terminal without SMTP_URL: whom it
 * was for and its links, so a sign-up can be confirmed (or a sign-in finished) from there.
 */
export function describeHeldMail(mail: HeldMailNotice): string {
  return [
    `  ✉ Mail held, not sent (SMTP_URL is not set) — to ${mail.to}: ${mail.subject}`,
    ...mail.links.map((link) => `    ${link}`),
    '',
  ].join('\n');
}

export function databaseOptions(config: Config, logger?: FastifyBaseLogger) {
  return config.databaseUrl
    ? ({ driver: 'postgres', url: config.databaseUrl, logger } as const)
    : ({ driver: 'pglite', dataDir: embeddedDataFolder(config) } as const);
}

/** The embedded database's folder inside KANKEI_DATA_DIR. */
export const embeddedDataFolder = (config: Config) => path.join(config.dataDir, 'pglite');

export async function openConfiguredDatabase(config: Config, logger?: FastifyBaseLogger): Promise<Database> {
  const database = await openDatabase(databaseOptions(config, logger));
  await database.migrate();
  return database;
}

export function describeStart(
  url: string,
  database: Database,
  config: Config,
  seed: SeedResult,
  heldMailLinksShown = false,
): string {
  const lines = [
    '',
    `  Kankei is running at ${url}`,
    `  Links in mails and cards: ${url}${config.publicUrl ? ' (PUBLIC_URL)' : ' (the address Kankei listens on; set PUBLIC_URL for another)'}`,
    `  Database: ${database.driver === 'pglite' ? `embedded PGlite in ${embeddedDataFolder(config)}` : 'PostgreSQL (DATABASE_URL)'}`,
    `  Municipalities: ${seed.municipalities}`,
    config.smtpUrl
      ? '  Mail: sent through SMTP_URL'
      : `  Mail: not sent (SMTP_URL is not set) — held for a week for admins on the audit log page (保留中のメール)${heldMailLinksShown ? '; the links of each held mail are printed here' : ''}`,
    '',
  ];
  if (seed.admin.created) {
    lines.push(`  Admin login: ${seed.admin.email}`);
    lines.push(
      seed.admin.passwordFrom === 'generated'
        ? `  Password:    ${seed.admin.password}   (generated now and shown only once — note it down)`
        : '  Password:    the value of KANKEI_ADMIN_PASSWORD',
    );
  } else {
    lines.push(
      `  Admin login: ${seed.admin.email} (password as set before; reset with: npm run kankei -- create-admin --email ${seed.admin.email} --password <new>)`,
    );
  }
  if (seed.demo) {
    lines.push('', `  Demo data (synthetic, marked 【デモ】): ${seed.demo.staff.map((s) => s.email).join(', ')}`);
    lines.push(
      seed.demo.password
        ? `  Demo staff password: ${seed.demo.password}   (generated for this database and shown only once — note it down)`
        : `  Demo staff password: shown at the first start (stored only hashed); reset one with: npm run kankei -- create-admin --email ${seed.demo.staff[0]?.email} --password <new>`,
    );
  }
  lines.push('');
  return lines.join('\n');
}

export async function serve(config: Config): Promise<{ app: FastifyInstance; database: Database }> {
  const logFormat = logFormatFor(config.logFormat, Boolean(process.stdout.isTTY));
  const logger = await createLogger(config.logLevel, logFormat);
  const database = await openConfiguredDatabase(config, logger);
  const seed = await seedAll(database.db, {
    demoData: config.demoData,
    adminEmail: config.adminEmail,
    adminPassword: config.adminPassword,
  });
  const app = await buildApp({
    database,
    logger,
    secureCookies: config.publicUrl?.startsWith('https://') ?? false,
    publicUrl: config.publicUrl,
    trustProxy: config.trustProxy,
    metricsToken: config.metricsToken,
    smtpUrl: config.smtpUrl,
    uploadDir: path.join(config.dataDir, 'uploads'),
    // Someone watching a terminal gets the links of mails that cannot leave; a log collector does not.
    ...(!config.smtpUrl && logFormat === 'pretty'
      ? { onMailHeld: (mail: HeldMailNotice) => console.log(describeHeldMail(mail)) }
      : {}),
    jobs: config.databaseUrl ? createPgBossQueue(config.databaseUrl, { logger }) : createInProcessQueue({ logger }),
  });
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    try {
      await app.close();
    } finally {
      await database.close();
      logger.info('database closed');
      process.exit(0);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  // The very rule the app builds its links with, so the printed address is the one mails carry.
  const url = publicUrlOf(app, config.publicUrl)();
  console.log(describeStart(url, database, config, seed, !config.smtpUrl && logFormat === 'pretty'));
  if (!config.publicUrl && config.host !== '127.0.0.1' && config.host !== 'localhost') {
    logger.warn(
      `PUBLIC_URL is not set: links in mails and card QR codes point at ${url}, which other machines may not reach. Set PUBLIC_URL to the address the public uses.`,
    );
  }
  return { app, database };
}
