import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { ErrorResponse, IdParams, passwordText, requiredText } from '../validation.js';
import { STAFF_ROLES } from '../../shared/domain.js';
import { publicContext, staffContext } from '../request-context.js';
// The auth hook's request.csrfToken and the cookie plugin's reply.setCookie, in the types.
import type {} from './auth.hooks.js';
import { sweepAttempts } from './login-throttle.js';
import {
  changePassword,
  createApiToken,
  listApiTokens,
  login,
  logout,
  presentUser,
  revokeApiToken,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
} from './auth.service.js';
import { TOKEN_ADMINS } from './auth.policy.js';

export const User = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(STAFF_ROLES),
    municipalityCode: z.string().nullable(),
    organizationId: z.string().nullable(),
  })
  .describe('The signed-in staff member');

const SessionResponse = z.object({
  user: User,
  csrfToken: z.string().describe('Send as x-csrf-token on cookie requests that change data'),
});
const Password = passwordText(12);

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  staffId: z.uuid(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

export type AuthRouteOptions = { db: Db; secureCookies: boolean; loginRateLimit: number };

export async function authRoutes(appBase: FastifyInstance, { db, secureCookies, loginRateLimit }: AuthRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();
  const tags = ['auth'];

  // Counts of sign-in attempts are kept a day (login-throttle.ts); older ones are swept hourly.
  let sweeping: NodeJS.Timeout | undefined;
  appBase.addHook('onReady', async () => {
    const sweep = () =>
      void sweepAttempts(db).catch((err) => appBase.log.warn({ err }, 'sweeping sign-in attempts failed'));
    sweep();
    sweeping = setInterval(sweep, 60 * 60 * 1000).unref();
  });
  appBase.addHook('onClose', async () => clearInterval(sweeping));

  app.post(
    '/login',
    {
      config: { public: true, rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Sign in with email and password; sets an HTTP-only session cookie',
        body: z.object({ email: requiredText(254), password: passwordText(1) }).strict(),
        description:
          'A wrong password and an unknown or disabled email answer the same 401. After repeated failures an account ' +
          '(known or not) or an IP must wait before the next attempt: 429 with Retry-After (seconds), even for the right password.',
        response: { 200: SessionResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await login(db, publicContext(request), request.body);
      reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: secureCookies,
        maxAge: Math.floor(SESSION_IDLE_MS / 1000),
      });
      return { user: presentUser(result.actor), csrfToken: result.csrfToken };
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags,
        summary: 'The current session: user and CSRF token',
        response: { 200: SessionResponse, 401: ErrorResponse },
      },
    },
    async (request) => {
      const { actor } = staffContext(request);
      return { user: presentUser(actor), csrfToken: request.csrfToken ?? '' };
    },
  );

  app.post(
    '/logout',
    { schema: { tags, summary: 'End the current session', response: { 204: z.null() } } },
    async (request, reply) => {
      await logout(db, staffContext(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/password',
    {
      schema: {
        tags,
        summary: 'Change the own password (other sessions end)',
        description:
          'The current password is checked under the sign-in throttle of the account: after repeated wrong ones, 429 with Retry-After.',
        body: z.object({ currentPassword: passwordText(1), newPassword: Password }).strict(),
        response: { 204: z.null(), 400: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      await changePassword(db, staffContext(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/tokens',
    {
      config: { roles: TOKEN_ADMINS },
      schema: {
        tags,
        summary: 'Issue an API token for scripts (admin). The token is shown only in this answer.',
        body: z
          .object({
            name: requiredText(100),
            staffId: z.uuid().optional().describe('Staff account the token acts as; default: the caller'),
            expiresInDays: z.number().int().min(1).max(3650).optional(),
          })
          .strict(),
        response: {
          201: z.object({
            id: z.uuid(),
            name: z.string(),
            staffId: z.uuid(),
            token: z.string(),
            expiresAt: z.string().nullable(),
          }),
          400: ErrorResponse,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiToken(db, staffContext(request), request.body)),
  );

  app.get(
    '/tokens',
    {
      config: { roles: TOKEN_ADMINS },
      schema: { tags, summary: 'List API tokens (admin)', response: { 200: z.object({ items: z.array(ApiToken) }) } },
    },
    async () => ({ items: await listApiTokens(db) }),
  );

  app.delete(
    '/tokens/:id',
    {
      config: { roles: TOKEN_ADMINS },
      schema: {
        tags,
        summary: 'Revoke an API token (admin)',
        params: IdParams,
        response: { 204: z.null(), 404: ErrorResponse },
      },
    },
    async (request, reply) => {
      await revokeApiToken(db, staffContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
