import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fileDateInTokyo } from '../../shared/dates.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { publicContext, selfContext, staffContext } from '../../platform/request-context.js';
import { safeEqual } from '../../platform/auth/auth.service.js';
import { AppError } from '../../platform/errors.js';
import { csvContentType } from '../../platform/export/export.csv.js';
import { pickLocale } from '../../platform/i18n.js';
import type { Mailer } from '../../platform/mail/mail.service.js';
import type { PublicUrl } from '../../platform/public-url.js';
import { assertPersonInScope } from '../people/index.js';
import { emailText, ErrorResponse, IdParams } from '../../platform/validation.js';
import { getCurrentCardView } from '../cards/index.js';
import { CurrentCardView } from '../cards/index.js';
import { matchingSupporterRoutes } from '../matching/index.js';
import {
  AddMyMunicipalities,
  ConsentState,
  MunicipalityCodeParams,
  MyData,
  PublicRegistration,
  TokenBody,
  UpdateMyConsents,
  UpdateMyProfile,
} from './registry.schemas.js';
import { addMyMunicipalities, removeMyMunicipality } from './registry.me.js';
import {
  confirmRegistration,
  createRegistration,
  deleteMe,
  exportMyData,
  myData,
  openSupporterSession,
  requestSignIn,
  resolveSupporter,
  signInWithLink,
  signOutSupporter,
  supporterCsrfToken,
  supporterProfileForStaff,
  updateMyConsents,
  updateMyProfile,
  SUPPORTER_COOKIE,
  SUPPORTER_SESSION_TTL_MS,
  type Supporter,
} from './registry.service.js';
import { registrySettingsRoutes } from './registry.settings-routes.js';
import { premiumRoutes } from './registry.premium-routes.js';
import { registrationCap } from './registry.settings.js';
import { issueFormToken } from '../../platform/forms/form-token.js';

export type RegistryRouteOptions = {
  db: Db;
  mailer: Mailer;
  /** Origin of the links in mails and card QR codes (configuration only, never a request header). */
  publicUrl: PublicUrl;
  secureCookies: boolean;
  /** Sign-ups and sign-in requests per IP per 10 minutes. */
  publicRateLimit: number;
  /** Minimum time between fetching the form and sending it. */
  minFillMs: number;
  /** Called after a confirmed sign-up, e.g. to issue the supporter card. */
  onConfirmed?: (db: Db, confirmed: { personId: string; municipalityCodes: string[] }) => Promise<void>;
};

const publicTags = ['public registry'];

export async function registryRoutes(appBase: FastifyInstance, options: RegistryRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const { db, mailer } = options;
  const rateLimit = { max: options.publicRateLimit, timeWindow: '10 minutes' };
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(SUPPORTER_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: options.secureCookies,
      maxAge: Math.floor(SUPPORTER_SESSION_TTL_MS / 1000),
    });

  /** The signed-in supporter; changes also need the session's CSRF token. */
  async function supporterOf(request: FastifyRequest): Promise<Supporter> {
    const cookie = request.cookies[SUPPORTER_COOKIE];
    const supporter = cookie ? await resolveSupporter(db, cookie) : null;
    if (!supporter) throw new AppError('UNAUTHENTICATED');
    if (request.method !== 'GET') {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, await supporterCsrfToken(db, supporter)))
        throw new AppError('CSRF');
    }
    return supporter;
  }

  // Projects' 興味ある, applications and withdrawals: the matching module's routes, on this session.
  await matchingSupporterRoutes(app, { db, supporterOf });
  // The prefecture's registration settings (cap, privacy notice) and the public privacy notice.
  await registrySettingsRoutes(app, { db });
  // Premium applications (the supporter's, with files) and their review by the municipality.
  await premiumRoutes(app, {
    db,
    supporterOf,
    onApproved: async (database, personId) => {
      await options.onConfirmed?.(database, { personId, municipalityCodes: [] });
    },
  });

  app.get(
    '/public/registration-form',
    {
      config: { public: true },
      schema: {
        tags: publicTags,
        summary: 'A form token to send with the sign-up (spam protection)',
        response: {
          200: z.object({
            formToken: z.string(),
            registrationCap: z.number().int().describe('How many municipalities one person may support'),
          }),
        },
      },
    },
    async () => ({ formToken: await issueFormToken(db), registrationCap: await registrationCap(db) }),
  );

  app.post(
    '/public/registrations',
    {
      config: { public: true, rateLimit },
      schema: {
        tags: publicTags,
        summary: 'Sign up as a supporter of municipalities (ふるさと住民票); a confirmation link is mailed',
        body: PublicRegistration,
        response: {
          202: z.object({ status: z.literal('pending') }),
          400: ErrorResponse,
          409: ErrorResponse,
          429: ErrorResponse,
        },
      },
    },
    async (request, reply) => {
      await createRegistration({ db, mailer, publicUrl: options.publicUrl() }, publicContext(request), request.body, {
        minFillMs: options.minFillMs,
      });
      return reply.status(202).send({ status: 'pending' as const });
    },
  );

  app.post(
    '/public/registrations/confirm',
    {
      config: { public: true, rateLimit },
      schema: {
        tags: publicTags,
        summary: 'Confirm a sign-up with the mailed token; opens the supporter session',
        body: TokenBody,
        response: { 200: z.object({ status: z.literal('confirmed') }), 400: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      const confirmed = await confirmRegistration(db, publicContext(request), request.body.token);
      await options.onConfirmed?.(db, confirmed);
      setSession(reply, await openSupporterSession(db, confirmed.personId));
      return { status: 'confirmed' as const };
    },
  );

  app.post(
    '/public/sign-in',
    {
      config: { public: true, rateLimit },
      schema: {
        tags: publicTags,
        summary: 'Mail a one-time sign-in link to a registered supporter (same answer for unknown addresses)',
        body: z.object({ email: emailText(), locale: z.enum(['ja', 'en']).optional() }).strict(),
        response: { 202: z.object({ status: z.literal('sent') }), 400: ErrorResponse },
      },
    },
    async (request, reply) => {
      await requestSignIn(
        { db, mailer, publicUrl: options.publicUrl() },
        request.body.email,
        request.body.locale ?? pickLocale(request.headers['accept-language']),
      );
      return reply.status(202).send({ status: 'sent' as const });
    },
  );

  app.post(
    '/public/session',
    {
      config: { public: true, rateLimit },
      schema: {
        tags: publicTags,
        summary: 'Open a supporter session with a mailed sign-in token',
        body: TokenBody,
        response: { 204: z.null(), 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      setSession(reply, await signInWithLink(db, selfContext(request), request.body.token));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary: 'Everything held about the signed-in supporter',
        response: { 200: MyData, 401: ErrorResponse },
      },
    },
    async (request) => myData(db, await supporterOf(request)),
  );

  app.get(
    '/me/card',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary:
          "The supporter's current digital card: summary, signed token and QR code (SVG); 404 when none is valid",
        response: { 200: CurrentCardView, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const supporter = await supporterOf(request);
      const view = await getCurrentCardView(db, supporter.personId, options.publicUrl());
      if (!view) throw new AppError('NOT_FOUND');
      return view;
    },
  );

  app.patch(
    '/me/consents',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary: 'Give or withdraw consents (each is recorded with its date)',
        body: UpdateMyConsents,
        response: { 200: MyData, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request) => {
      const supporter = await supporterOf(request);
      await updateMyConsents(db, selfContext(request), supporter, request.body);
      return myData(db, supporter);
    },
  );

  app.post(
    '/me/municipalities',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary:
          "Support more municipalities, within the prefecture's cap (refused as a whole over it, naming the cap)",
        body: AddMyMunicipalities,
        response: { 200: MyData, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request) => {
      const supporter = await supporterOf(request);
      const added = await addMyMunicipalities(db, selfContext(request), supporter, request.body);
      // The card names every municipality supported: a new one after an addition.
      if (added.length) await options.onConfirmed?.(db, { personId: supporter.personId, municipalityCodes: added });
      return myData(db, supporter);
    },
  );

  app.delete(
    '/me/municipalities/:code',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary: 'Stop supporting one municipality (the last one stays: deleting the registration is the way out)',
        params: MunicipalityCodeParams,
        response: { 200: MyData, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse },
      },
    },
    async (request) => {
      const supporter = await supporterOf(request);
      await removeMyMunicipality(db, selfContext(request), supporter, request.params.code);
      await options.onConfirmed?.(db, { personId: supporter.personId, municipalityCodes: [] });
      return myData(db, supporter);
    },
  );

  app.get(
    '/me/export',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary: 'Download everything held (JSON, or CSV for Excel)',
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }).strict(),
      },
    },
    async (request, reply) => {
      const supporter = await supporterOf(request);
      const { format } = request.query;
      const body = await exportMyData(db, selfContext(request), supporter, format);
      return reply
        .type(format === 'json' ? 'application/json; charset=utf-8' : csvContentType('utf8'))
        .header('content-disposition', `attachment; filename="kankei-my-data-${fileDateInTokyo()}.${format}"`)
        .send(body);
    },
  );

  app.patch(
    '/me',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary:
          'Correct your own record: name, kana, phone, address, roots, interests, skills, involvement, availability, mail language (audited)',
        description:
          'Any subset of the fields; an absent field stays as it is, null clears an optional one. The email address is not changed here.',
        body: UpdateMyProfile,
        response: { 200: MyData, 400: ErrorResponse, 401: ErrorResponse },
      },
    },
    async (request) => {
      const supporter = await supporterOf(request);
      await updateMyProfile(db, selfContext(request), supporter, request.body);
      return myData(db, supporter);
    },
  );

  app.delete(
    '/me',
    {
      config: { public: true },
      schema: {
        tags: ['supporter self-service'],
        summary: 'Delete the registration and all data held (cannot be undone)',
        response: { 204: z.null(), 401: ErrorResponse },
      },
    },
    async (request, reply) => {
      await deleteMe(db, selfContext(request), await supporterOf(request));
      reply.clearCookie(SUPPORTER_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/me/sign-out',
    {
      config: { public: true },
      schema: { tags: ['supporter self-service'], summary: 'End the supporter session', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await signOutSupporter(db, await supporterOf(request));
      reply.clearCookie(SUPPORTER_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/people/:id/supporter-profile',
    {
      config: { personalData: true },
      schema: {
        tags: ['people'],
        summary:
          'What a supporter told about themselves (roots, interests, skills, involvement) and the consents in force',
        params: IdParams,
        response: {
          200: z.object({
            profile: MyData.shape.profile,
            consents: z.array(ConsentState),
          }),
          404: ErrorResponse,
        },
      },
    },
    async (request) => {
      const { actor } = staffContext(request);
      await assertPersonInScope(db, actor, request.params.id);
      return supporterProfileForStaff(db, request.params.id);
    },
  );
}
