/**
 * Authentication and CSRF, applied to every route in one hook and decided from the route the
 * router matched — never from how the URL was spelt. Every route needs a signed-in caller unless
 * its config says `public: true`; routes restrict roles with `config: { roles: ROLE_LIST }`, a role list
 * of the module's policy (platform/policy.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
// Brings request.cookies / reply.setCookie into the types wherever auth is compiled.
import type {} from '@fastify/cookie';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { hasRole, refusal, type RoleList } from '../policy.js';
import { resolveBearer, resolveSession, safeEqual, SESSION_COOKIE } from './auth.service.js';

// request.actor is declared with the request context it feeds (platform/request-context.ts).
import type {} from '../request-context.js';

declare module 'fastify' {
  interface FastifyRequest {
    csrfToken: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without signing in. Only an explicit `true` opens a route. */
    public?: boolean;
    /**
     * Only these roles may call the route (others get FORBIDDEN, or NOT_FOUND with `personalData`):
     * a role list from the module's policy file, never written out in the route.
     */
    roles?: RoleList;
    /** Returns or changes people's personal data: must answer NOT_FOUND outside the caller's scope. */
    personalData?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether the request still has a body on the wire (an upload the caller may not make). */
function carriesBody(request: FastifyRequest): boolean {
  const length = Number(request.headers['content-length'] ?? 0);
  return length > 0 || request.headers['transfer-encoding'] !== undefined;
}

/**
 * Refuses before the body is read, and closes the connection after the answer, so a refused
 * upload (say 50 MB of multipart from nobody) is not received in full to keep the connection alive.
 */
function refuse(request: FastifyRequest, reply: FastifyReply, error: AppError): never {
  if (carriesBody(request)) reply.header('connection', 'close');
  throw error;
}

export function installAuthentication(app: FastifyInstance, db: Db): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('csrfToken', null);

  app.addHook('onRequest', async (request, reply) => {
    // A path no route matches goes to the not-found handler, which answers 404 and serves no data.
    // Everything else is judged by the matched route's config: the router decodes the path
    // (/%61pi/audit is /api/audit to it), so a test on request.url would judge another spelling
    // than the one that runs.
    if (request.is404) return;
    const config = request.routeOptions.config ?? {};
    if (config.public === true) return;
    const authorization = request.headers.authorization;
    if (authorization?.startsWith('Bearer ')) {
      request.actor = await resolveBearer(db, authorization.slice(7).trim());
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
    if (!request.actor) refuse(request, reply, new AppError('UNAUTHENTICATED'));
    // Only session-authenticated requests need the CSRF token: bearer requests carry no ambient
    // cookie a foreign page could make the browser send.
    if (request.actor.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, request.csrfToken ?? ''))
        refuse(request, reply, new AppError('CSRF'));
    }
    if (config.roles && !hasRole(request.actor, config.roles)) {
      // On a route about a person, even "not allowed" would confirm that the person exists.
      refuse(request, reply, refusal({ personalData: config.personalData }));
    }
  });
}
