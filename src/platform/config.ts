/**
 * The one place that reads process.env. Every variable is validated at start; a bad value stops
 * Kankei with a message naming the variable instead of failing later in some request.
 */
import path from 'node:path';
import { z } from 'zod';

const boolFlag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const EnvSchema = z.object({
  /** TCP port of the HTTP server. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface to listen on; 127.0.0.1 keeps a demo private, 0.0.0.0 serves the network. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** PostgreSQL connection string. Unset → embedded PGlite in KANKEI_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Folder of the embedded database (and other local state). */
  KANKEI_DATA_DIR: z.string().min(1).default('./data'),
  /**
   * Synthetic demo people and staff. Unset: on for the embedded database (a try-out), off with
   * DATABASE_URL (a real installation must not get demo staff who see everyone unless asked for).
   */
  KANKEI_DEMO_DATA: boolFlag.optional(),
  /** SMTP server for outgoing mail, e.g. smtp://user:pass@host:587. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  /** Address the public reaches Kankei at; used in mails and to decide on Secure cookies. */
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://kankei.example.jp' }).optional(),
  /** First admin's email on a fresh database. */
  KANKEI_ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  /** First admin's password on a fresh database (at least 12 characters). */
  KANKEI_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demoData: boolean;
  smtpUrl: string | undefined;
  publicUrl: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads and validates the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(present[String(i.path[0])])}: ${i.message}`),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.KANKEI_DATA_DIR),
    demoData: e.KANKEI_DEMO_DATA ?? !e.DATABASE_URL,
    smtpUrl: e.SMTP_URL,
    publicUrl: e.PUBLIC_URL,
    adminEmail: e.KANKEI_ADMIN_EMAIL,
    adminPassword: e.KANKEI_ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
  };
}
