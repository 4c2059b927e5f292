/**
 * The one place that reads process.env. Every variable is validated at start; a bad value stops
 * Kankei with a message naming the variable instead of failing later in some request.
 */
import path from 'node:path';
import { z } from 'zod';
import { weakPassword } from './auth/password-policy.js';

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
  /**
   * Address the public reaches Kankei at: the origin of every link in mails and card QR codes, the
   * cards' issuer, and https → Secure cookies. Unset → the address Kankei listens on. Links are
   * never built from request headers.
   */
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, message: 'must be an absolute http(s) URL such as https://kankei.example.jp' })
    .refine((v) => {
      const u = new URL(v);
      return (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash && !u.username && !u.password;
    }, 'must be an origin only (scheme, host and port), without path, query or credentials')
    .optional(),
  /**
   * Reverse proxies in front of Kankei whose X-Forwarded-For / X-Forwarded-Proto are believed:
   * comma-separated IP addresses or CIDRs, or loopback / linklocal / uniquelocal. Unset → no header
   * is believed and the client IP is the connecting address. Never affects links.
   */
  TRUST_PROXY: z
    .string()
    .regex(
      /^\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9a-fA-F.:]+(\/\d{1,3})?))*\s*$/,
      'must be comma-separated IP addresses or CIDRs (or loopback, linklocal, uniquelocal)',
    )
    .optional(),
  /** First admin's email on a fresh database. */
  KANKEI_ADMIN_EMAIL: z.email({ message: 'must be an email address' }).optional(),
  /** First admin's password on a fresh database (at least 12 characters). */
  KANKEI_ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .refine(
      (p) => weakPassword(p) === null,
      'is a commonly used password, one dressed with digits or symbols, or a repetition (choose a long phrase)',
    )
    .optional(),
  /**
   * Bearer token that opens GET /metrics (Prometheus text format) to a metrics collector; at
   * least 24 characters. Unset → /metrics answers 404.
   */
  KANKEI_METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * pretty: one readable line per request (and held mails' links on the console, without SMTP_URL);
   * json: one JSON object per line. Unset → pretty when stdout is a terminal, json otherwise.
   */
  LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  demoData: boolean;
  smtpUrl: string | undefined;
  publicUrl: string | undefined;
  trustProxy: string | undefined;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  metricsToken: string | undefined;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** undefined: chosen at start by whether stdout is a terminal. */
  logFormat: 'pretty' | 'json' | undefined;
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
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    trustProxy: e.TRUST_PROXY?.split(',')
      .map((p) => p.trim())
      .join(','),
    adminEmail: e.KANKEI_ADMIN_EMAIL,
    adminPassword: e.KANKEI_ADMIN_PASSWORD,
    metricsToken: e.KANKEI_METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
  };
}
