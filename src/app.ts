/**
 * Assembles the HTTP application: platform concerns first (errors, cookies, auth, rate limits,
 * OpenAPI), then each module's routes, registered explicitly under /api.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from './platform/db/client.js';
import { logAfterCommitFailuresTo } from './platform/db/unit-of-work.js';
import { answerFrameworkError, installErrorHandling } from './platform/errors.js';
import { withPrivateLogging } from './platform/logging.js';
import { refuseNonUtf8Input } from './platform/request-encoding.js';
import { installOps } from './platform/ops.js';
import { installAuthentication } from './platform/auth/auth.hooks.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { auditRoutes } from './platform/audit/audit.routes.js';
import { placesRoutes } from './modules/places/index.js';
import { peopleRoutes } from './modules/people/index.js';
import { personDataRoutes } from './modules/registry/index.js';
import { staffRoutes } from './modules/staff/index.js';
import { engagementRoutes } from './modules/engagement/index.js';
import { donationRoutes } from './modules/donations/index.js';
import { registryRoutes } from './modules/registry/index.js';
import { cardPublicRoutes, cardRoutes } from './modules/cards/index.js';
import { consultationRoutes } from './modules/consultations/index.js';
import { consultationSince } from './modules/consultations/index.js';
import { referralRoutes } from './modules/consultations/index.js';
import { followupRoutes } from './modules/consultations/index.js';
import { analyticsRoutes } from './modules/analytics/index.js';
import { kpiRoutes } from './modules/kpi/index.js';
import { dashboardRoutes } from './modules/dashboard/index.js';
import { eventRoutes } from './modules/events/index.js';
import { defineMatchingJobs, matchingPublicRoutes, matchingRoutes } from './modules/matching/index.js';
import { defineEventJobs } from './modules/events/index.js';
import { notifyReferral, outreachRoutes, senderIdentity } from './modules/outreach/index.js';
import { DEFAULT_ISSUER, issueCardOnSignUp } from './modules/cards/index.js';
import { DEFAULT_MIN_FILL_MS, purgeExpiredRegistrations } from './modules/registry/index.js';
import { createInProcessQueue, type JobQueue } from './platform/jobs.js';
import { jobRoutes } from './platform/jobs.routes.js';
import {
  createMailer,
  type HeldMailNotice,
  type MailDeliveryOptions,
  type Mailer,
} from './platform/mail/mail.service.js';
import { mailRoutes } from './platform/mail/mail.routes.js';
import { publicUrlOf } from './platform/public-url.js';
import { securityHeaders } from './platform/security-headers.js';

export const WEB_ROOT = fileURLToPath(new URL('../web/dist', import.meta.url));
/** JSON bodies above this are refused with 413; nothing in the API needs more. */
export const BODY_LIMIT_BYTES = 256 * 1024;

export type AppOptions = {
  database: Database;
  /** pino instance; no logging when absent (tests). */
  logger?: FastifyBaseLogger;
  /** Secure cookies when served over https (PUBLIC_URL). */
  secureCookies?: boolean;
  /** Login attempts per IP per minute. */
  loginRateLimit?: number;
  /** Folder with the built web UI; skipped when it does not exist. */
  webRoot?: string;
  /**
   * Address the public reaches Kankei at: links in mails and card QR codes, and the cards' issuer.
   * Default: the address the app listens on. Never taken from a request's headers.
   */
  publicUrl?: string;
  /**
   * Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (Fastify `trustProxy`:
   * comma-separated addresses, CIDRs or `loopback`). Affects the client IP (rate limits, audit), not links.
   */
  trustProxy?: string;
  /** Background jobs; default: in-process (embedded). Stopped when the app closes. */
  jobs?: JobQueue;
  /** SMTP server for mail; absent: mail is logged, not sent. */
  smtpUrl?: string;
  /** Retry and sweep timing of mail delivery; defaults in mail.service.ts (tests shorten them). */
  mailDelivery?: MailDeliveryOptions;
  /** Without smtpUrl: told of each held mail (the server prints its links in a terminal). */
  onMailHeld?: (mail: HeldMailNotice) => void;
  /** Public sign-ups and sign-in requests per IP per 10 minutes. */
  publicRateLimit?: number;
  /** Minimum milliseconds between loading the sign-up form and sending it (bots are faster). */
  minFormFillMs?: number;
  /**
   * Kankei's own folder for uploaded donor files (server: KANKEI_DATA_DIR/uploads). Default: a
   * fresh temporary folder for this app, removed when it closes (tests).
   */
  uploadDir?: string;
  /** Bearer token of GET /metrics (KANKEI_METRICS_TOKEN); undefined → /metrics answers 404. */
  metricsToken?: string;
  /** Called for every route as it is registered (tests use it to walk all routes). */
  onRoute?: (route: RouteOptions) => void;
};

declare module 'fastify' {
  interface FastifyInstance {
    mailer: Mailer;
    jobs: JobQueue;
  }
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { database } = options;
  const { db } = database;
  const logger = options.logger && withPrivateLogging(options.logger);
  if (logger) logAfterCommitFailuresTo(db, logger);
  const app = Fastify({
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: answerFrameworkError,
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
  });
  const publicUrl = publicUrlOf(app, options.publicUrl);
  // Cards name their issuer; a card verifies only against the issuer configured here.
  const cardIssuer = options.publicUrl?.replace(/\/+$/, '') ?? DEFAULT_ISSUER;
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  // The API speaks JSON only; plain text would otherwise reach validation as a string body.
  app.removeContentTypeParser('text/plain');
  refuseNonUtf8Input(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const webRoot = options.webRoot ?? WEB_ROOT;
  const hasWeb = fs.existsSync(path.join(webRoot, 'index.html'));
  // Client-side routes (/people/123) get the app shell; unknown /api paths stay JSON 404s.
  installErrorHandling(app, hasWeb ? { appShell: (reply) => reply.sendFile('index.html') } : {});

  // Before authentication: a refused request carries the headers too.
  await app.register(fastifyHelmet, securityHeaders({ https: options.secureCookies ?? false }));
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kankei API',
        version: '0.1.0',
        description:
          'Kankei — migration & relationship-population center. Errors: {error: {code, message, fields?}} in the language of Accept-Language (ja default, en). Cookie sessions send x-csrf-token on changes; bearer tokens need none.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'kankei_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  installAuthentication(app, db);

  const jobs = options.jobs ?? createInProcessQueue({ logger: options.logger });
  const mailer: Mailer = createMailer({
    smtpUrl: options.smtpUrl,
    jobs,
    db,
    logger,
    delivery: options.mailDelivery,
    onHeld: options.onMailHeld,
    identity: senderIdentity,
  });
  defineEventJobs(jobs, { db, mailer });
  defineMatchingJobs(jobs, { db });
  app.decorate('mailer', mailer);
  app.decorate('jobs', jobs);
  installOps(app, { database, jobs, metricsToken: options.metricsToken });
  const uploadDir = options.uploadDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kankei-uploads-'));
  if (!options.uploadDir)
    app.addHook('onClose', async () => fs.promises.rm(uploadDir, { recursive: true, force: true }));
  let housekeeping: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await jobs.start();
    await mailer.start();
    const sweep = () =>
      void purgeExpiredRegistrations(db).catch((err) => app.log.warn({ err }, 'purging expired registrations failed'));
    sweep();
    housekeeping = setInterval(sweep, 60 * 60 * 1000).unref();
  });
  app.addHook('onClose', async () => {
    if (housekeeping) clearInterval(housekeeping);
    await jobs.stop();
    await mailer.stop();
  });

  await app.register(
    async (api) => {
      const typed = api.withTypeProvider<ZodTypeProvider>();
      typed.get(
        '/health',
        {
          config: { public: true },
          schema: {
            tags: ['system'],
            summary: 'Liveness and database check',
            response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) }) },
          },
        },
        async () => {
          await db.execute(sql`select 1`);
          return { status: 'ok' as const, db: database.driver };
        },
      );
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
      await api.register(authRoutes, {
        prefix: '/auth',
        db,
        secureCookies: options.secureCookies ?? false,
        loginRateLimit: options.loginRateLimit ?? 20,
      });
      await api.register(placesRoutes, { db });
      await api.register(staffRoutes, { db });
      await api.register(peopleRoutes, { db });
      await api.register(personDataRoutes, { db });
      await api.register(auditRoutes, { db });
      await api.register(mailRoutes, { db });
      await api.register(jobRoutes, { db, jobs });
      await api.register(engagementRoutes, { db });
      await api.register(donationRoutes, { db, uploadDir });
      await api.register(analyticsRoutes, { db });
      await api.register(kpiRoutes, { db });
      await api.register(cardRoutes, { db, publicUrl, issuer: cardIssuer });
      await api.register(consultationRoutes, { db });
      await api.register(referralRoutes, {
        db,
        onReferred: (referral) => notifyReferral({ db, mailer, publicUrl }, referral),
      });
      await api.register(followupRoutes, { db });
      await api.register(dashboardRoutes, { db });
      await api.register(eventRoutes, {
        db,
        jobs,
        publicUrl,
        publicRateLimit: options.publicRateLimit ?? 10,
        minFillMs: options.minFormFillMs ?? DEFAULT_MIN_FILL_MS,
        followUpSince: consultationSince,
      });
      await api.register(matchingRoutes, { db, jobs, mailer, publicUrl });
      await api.register(matchingPublicRoutes, { db });
      await api.register(outreachRoutes, { db, publicRateLimit: options.publicRateLimit ?? 10 });
      await api.register(registryRoutes, {
        db,
        mailer,
        publicUrl,
        secureCookies: options.secureCookies ?? false,
        publicRateLimit: options.publicRateLimit ?? 10,
        minFillMs: options.minFormFillMs ?? DEFAULT_MIN_FILL_MS,
        onConfirmed: issueCardOnSignUp(cardIssuer, (err) =>
          app.log.warn({ err }, 'issuing the card after a sign-up failed'),
        ),
      });
    },
    { prefix: '/api' },
  );

  await app.register(cardPublicRoutes, { db });
  if (hasWeb) {
    // Files are looked up per request (wildcard), so a rebuilt UI is served without a restart.
    // The web UI's files are public by explicit declaration, like every other public route.
    await app.register(async (web) => {
      web.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
      });
      await web.register(fastifyStatic, { root: webRoot, wildcard: true, schemaHide: true });
    });
  }
  return app;
}
