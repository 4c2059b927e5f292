/**
 * Authentication and CSRF, applied to every /api route in one hook. Routes opt out with
 * `config: { public: true }` and restrict roles with `config: { roles: [...] }`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
// Brings request.cookies / reply.setCookie into the types wherever auth is compiled.
import type {} from '@fastify/cookie';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import type { StaffRole } from '../../shared/domain.js';
import type { Actor, RequestContext } from './actor.js';
import { resolveBearer, resolveSession, safeEqual, SESSION_COOKIE } from './auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. */
    public?: boolean;
    /** Only these roles may call the route (others get FORBIDDEN). */
    roles?: readonly StaffRole[];
    /** Returns or changes people's personal data: must answer NOT_FOUND outside the caller's scope. */
    personalData?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installAuthentication(app: FastifyInstance, db: Db): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const config = request.routeOptions.config ?? {};
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      request.actor = await resolveBearer(db, authorization.slice(7).trim());
      if (!request.actor && !config.public) throw new AppError('UNAUTHENTICATED');
    } else {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        const resolved = await resolveSession(db, cookie);
        if (resolved) {
          request.actor = resolved.actor;
          request.csrfToken = resolved.csrfToken;
        }
      }
    }
    if (config.public) return;
    // Public routes (sign-in, later public sign-ups) never act on the session, so only
    // session-authenticated routes need the CSRF token; bearer requests carry no ambient cookie.
    if (request.actor?.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, request.csrfToken ?? '')) throw new AppError('CSRF');
    }
    if (!request.actor) throw new AppError('UNAUTHENTICATED');
    if (config.roles && !config.roles.includes(request.actor.role)) {
      // On a route about a person, even "not allowed" would confirm that the person exists.
      throw new AppError(config.personalData ? 'NOT_FOUND' : 'FORBIDDEN');
    }
  });
}

/** The signed-in caller plus where the request came from; throws when nobody is signed in. */
export function requestContext(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return {
    actor: request.actor,
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
