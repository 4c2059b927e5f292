/**
 * A whole Kankei app on a test database, driven through real HTTP handling (app.inject), with
 * helpers to sign staff in the way the web UI does (cookie + CSRF token) or with a bearer token.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { buildApp } from '../../src/app.js';
import { createInProcessQueue, createPgBossQueue, type JobQueue } from '../../src/platform/jobs.js';
import type { MailDeliveryOptions } from '../../src/platform/mail/mail.service.js';
import { seedCertificationRules } from '../../src/seed/seed.js';
import type { DriverName } from '../../src/platform/db/client.js';
import { seedYamagataPlaces, createOrganization } from '../../src/modules/places/places.service.js';
import { createStaff } from '../../src/modules/staff/staff.service.js';
import {
  openSupporterSession,
  resolveSupporter,
  supporterCsrfToken,
} from '../../src/modules/registry/registry.service.js';
import { ensureFirstAdmin } from '../../src/seed/seed.js';
import type { StaffRole } from '../../src/shared/domain.js';
import { createTestDatabase, type TestDatabase } from './db.js';
import { systemContext } from '../../src/platform/request-context.js';

export const ADMIN_EMAIL = 'admin@test.kankei.example';
export const ADMIN_PASSWORD = 'test-admin-password-1';
export const STAFF_PASSWORD = 'test-staff-password-1';

export type Session = {
  cookie: string;
  csrfToken: string;
  user: { id: string; role: StaffRole; municipalityCode: string | null };
  /** Sends a request as this staff member; adds cookie and CSRF header. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
};

export type TestApp = {
  app: FastifyInstance;
  /** Every route the app registered, with its config. */
  routes: RouteOptions[];
  database: TestDatabase;
  driver: DriverName;
  admin: Session;
  login(email: string, password: string): Promise<Session>;
  /** A signed-in supporter (public self-service) for the person: cookie + CSRF token like the web page. */
  supporterSession(personId: string): Promise<Session>;
  /** Creates a staff account of the role (bound to a municipality / a fresh organization) and signs in. */
  staffSession(role: StaffRole, municipalityCode?: string): Promise<Session>;
  close(): Promise<void>;
};

const SYSTEM = systemContext();

export type TestAppOptions = {
  loginRateLimit?: number;
  /** Send mail to this SMTP server (see startTestSmtp); jobs run on pg-boss for PostgreSQL. */
  smtpUrl?: string;
  publicRateLimit?: number;
  minFormFillMs?: number;
  /** Default `http://kankei.test`; `null` leaves PUBLIC_URL unset (links then name the listening address). */
  publicUrl?: string | null;
  /** Proxies whose X-Forwarded-For is believed (TRUST_PROXY). */
  trustProxy?: string;
  /** Cookies and security headers as over https. */
  secureCookies?: boolean;
  /** Serve this folder as the web UI (default: none, so unknown paths answer the API's 404). */
  webRoot?: string;
  /** pino instance the app logs to (tests that read the log); none by default. */
  logger?: FastifyBaseLogger;
  /** Retry and sweep timing of mail delivery (default: production's). */
  mailDelivery?: MailDeliveryOptions;
  /** Upload folder for donor files; default: a temporary one of the app's own. */
  uploadDir?: string;
  /** Bearer token of GET /metrics (KANKEI_METRICS_TOKEN); none: /metrics answers 404. */
  metricsToken?: string;
  /** Jobs of the test itself, defined on the app's queue before it starts; on PostgreSQL they run on pg-boss. */
  defineJobs?: (jobs: JobQueue) => void;
};

export async function createTestApp(driver: DriverName, options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase(driver);
  await seedYamagataPlaces(database.db);
  await seedCertificationRules(database.db);
  await ensureFirstAdmin(database.db, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const routes: RouteOptions[] = [];
  const jobs =
    (options.smtpUrl || options.defineJobs) && database.url
      ? createPgBossQueue(database.url, {
          pollingIntervalSeconds: 0.5,
          // The test's own jobs fail on purpose: retry them within seconds, not minutes.
          ...(options.defineJobs ? { retryDelaySeconds: 1 } : {}),
          logger: options.logger,
        })
      : createInProcessQueue({ retryDelayMs: () => 200, logger: options.logger });
  options.defineJobs?.(jobs);
  const app = await buildApp({
    database,
    logger: options.logger,
    loginRateLimit: options.loginRateLimit ?? 1000,
    publicRateLimit: options.publicRateLimit ?? 1000,
    minFormFillMs: options.minFormFillMs ?? 0,
    publicUrl: options.publicUrl === null ? undefined : (options.publicUrl ?? 'http://kankei.test'),
    smtpUrl: options.smtpUrl,
    mailDelivery: options.mailDelivery,
    jobs,
    webRoot: options.webRoot ?? '/nonexistent',
    secureCookies: options.secureCookies ?? false,
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    uploadDir: options.uploadDir,
    metricsToken: options.metricsToken,
    onRoute: (route) => routes.push(route),
  });
  await app.ready();

  async function login(email: string, password: string): Promise<Session> {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
    if (res.statusCode !== 200) throw new Error(`login failed for ${email}: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'kankei_session')!;
    const body = res.json() as { user: Session['user']; csrfToken: string };
    const cookieHeader = `kankei_session=${cookie.value}`;
    return {
      cookie: cookieHeader,
      csrfToken: body.csrfToken,
      user: body.user,
      request: (opts) =>
        app.inject({
          ...opts,
          headers: { cookie: cookieHeader, 'x-csrf-token': body.csrfToken, ...(opts.headers ?? {}) },
        }),
    };
  }

  async function staffSession(role: StaffRole, municipalityCode?: string): Promise<Session> {
    const email = `${role}-${randomBytes(4).toString('hex')}@test.kankei.example`;
    const organizationId =
      role === 'partner'
        ? (await createOrganization(database.db, SYSTEM, { name: 'テスト連携機関', kind: 'partner_agency' })).id
        : null;
    await createStaff(database.db, SYSTEM, {
      email,
      name: `テスト ${role}`,
      role,
      municipalityCode: role === 'municipality_staff' ? (municipalityCode ?? '062014') : null,
      organizationId,
      password: STAFF_PASSWORD,
    });
    return login(email, STAFF_PASSWORD);
  }

  async function supporterSession(personId: string): Promise<Session> {
    const token = await openSupporterSession(database.db, personId);
    const supporter = (await resolveSupporter(database.db, token))!;
    const csrfToken = await supporterCsrfToken(database.db, supporter);
    const cookieHeader = `kankei_supporter=${token}`;
    return {
      cookie: cookieHeader,
      csrfToken,
      user: { id: personId, role: 'partner', municipalityCode: null },
      request: (opts) =>
        app.inject({ ...opts, headers: { cookie: cookieHeader, 'x-csrf-token': csrfToken, ...(opts.headers ?? {}) } }),
    };
  }

  const admin = await login(ADMIN_EMAIL, ADMIN_PASSWORD);
  return {
    app,
    routes,
    database,
    driver,
    admin,
    login,
    staffSession,
    supporterSession,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}

/** A valid person payload; override fields as needed. Synthetic test data. */
export function personPayload(overrides: Record<string, unknown> = {}) {
  const n = randomBytes(3).readUIntBE(0, 3) % 10_000_000;
  return {
    name: 'テスト 太郎',
    kana: 'テスト タロウ',
    email: `test${n}@example.jp`,
    phone: `090${String(n).padStart(8, '0')}`,
    links: [{ municipalityCode: '062014', kind: 'supporter' }],
    ...overrides,
  };
}
