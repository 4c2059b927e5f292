/**
 * Command line: `kankei migrate | seed | create-admin | serve | backup | restore` (npx kankei … or npm run kankei -- …);
 * without a command it prints the help.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { backupDatabase, type BackupTarget, defaultBackupFile, restoreDatabase } from './platform/db/backup.js';
import { DataFolderInUseError } from './platform/db/data-lock.js';
import { weakPassword } from './platform/auth/password-policy.js';
import { embeddedDataFolder, openConfiguredDatabase, serve } from './server.js';
import { createOrResetAdmin, seedAll } from './seed/seed.js';

const USAGE = `Usage: kankei <command> [options]

Commands:
  serve                      migrate, seed and start the HTTP server (what npm start runs)
  migrate                    apply database migrations
  seed                       seed municipalities, the first admin and (KANKEI_DEMO_DATA) demo data
  create-admin --email E --password P [--name N]
                             create a prefecture admin, or reset the password of the account with
                             that email (any role, e.g. a demo account) and unlock it
  backup [--out FILE]        copy the whole database to FILE (default kankei-backup-<Japan time>):
                             embedded: the data folder (stop the server first); PostgreSQL:
                             pg_dump --format=custom (online)
  restore FILE               put a backup back: embedded: the current folder is moved aside, never
                             deleted (stop the server first); PostgreSQL: pg_restore --clean in one
                             transaction

Configuration comes from environment variables; see README.md.`;

async function withDatabase(
  config: Config,
  work: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>) => Promise<void>,
) {
  const database = await openConfiguredDatabase(config);
  try {
    await work(database);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  // No command: help, not a server. A server started by accident would hold the data folder
  // (or, on PostgreSQL, run a second app) while the one meant to run is already up.
  if (command === undefined || values.help || command === 'help') {
    console.log(USAGE);
    return;
  }
  const config = loadConfig();
  switch (command) {
    case 'serve':
      await serve(config);
      return;
    case 'migrate':
      await withDatabase(config, async (d) => console.log(`Migrations applied (${d.driver}).`));
      return;
    case 'seed':
      await withDatabase(config, async (d) => {
        const result = await seedAll(d.db, {
          demoData: config.demoData,
          adminEmail: config.adminEmail,
          adminPassword: config.adminPassword,
        });
        console.log(
          `Seeded ${result.municipalities} municipalities; demo data: ${result.demo?.created ? `${result.demo.people} people` : 'unchanged'}.`,
        );
        if (result.admin.created) console.log(`Admin ${result.admin.email}, password: ${result.admin.password}`);
        if (result.demo?.password) console.log(`Demo staff password (shown only once): ${result.demo.password}`);
      });
      return;
    case 'create-admin': {
      const email = values.email ?? config.adminEmail;
      const password = values.password ?? config.adminPassword;
      if (!email || !password || password.length < 12) {
        throw new UsageError('create-admin needs --email and --password (at least 12 characters)');
      }
      if (weakPassword(password)) {
        throw new UsageError(
          'create-admin: that password is commonly used, dressed with digits or symbols, or a repetition; choose a long phrase',
        );
      }
      await withDatabase(config, async (d) => {
        const outcome = await createOrResetAdmin(d.db, { email, password, name: values.name });
        console.log(
          outcome === 'created' ? `Admin ${email} created.` : `Password of ${email} reset; account unlocked.`,
        );
      });
      return;
    }
    case 'backup': {
      const target = backupTarget(config);
      const file = path.resolve(values.out ?? defaultBackupFile(target.driver));
      const result = await backupDatabase(target, file);
      console.log(`Backup written: ${result.file} (${result.bytes.toLocaleString('en')} bytes).`);
      return;
    }
    case 'restore': {
      const file = positionals[1];
      if (!file) throw new UsageError('restore needs the backup file: kankei restore FILE');
      const result = await restoreDatabase(backupTarget(config), path.resolve(file));
      console.log(`Restored from ${result.file}.`);
      if (result.movedAside) console.log(`The folder it replaced was moved to ${result.movedAside}.`);
      return;
    }
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}

class UsageError extends Error {}

function backupTarget(config: Config): BackupTarget {
  return config.databaseUrl
    ? { driver: 'postgres', url: config.databaseUrl }
    : { driver: 'pglite', dataDir: embeddedDataFolder(config) };
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof DataFolderInUseError) {
    console.error(err.message);
    if (err instanceof UsageError) console.error(`\n${USAGE}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
