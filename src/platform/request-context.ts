/**
 * What services need to know about a request besides its body: who acts, through which door, in
 * what language, from where. One type for every caller — staff, the public, a signed-in supporter,
 * Kankei itself — so the audit trail, the scope checks and the mails read the same facts.
 * Dependencies (db, mailer, jobs, publicUrl) are not context: services take them as `deps`.
 * docs/architecture.md, "Unit of work".
 */
import type { FastifyRequest } from 'fastify';
import type { Actor } from './auth/actor.js';
import { AppError } from './errors.js';
import { type Locale, pickLocale } from './i18n.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in staff member, set by the auth hook (platform/auth/auth.hooks.ts); null on public routes. */
    actor: Actor | null;
  }
}

/** Who is acting: signed-in staff, the anonymous public, a signed-in supporter (self-service), Kankei itself. */
export type RequestVia = 'staff' | 'public' | 'self' | 'system';

type RequestFacts = {
  /** The caller's language (Accept-Language; Japanese by default). */
  locale: Locale;
  ip: string | null;
  userAgent: string | null;
};

export type StaffContext = RequestFacts & { via: 'staff'; actor: Actor };
export type PublicContext = RequestFacts & { via: 'public'; actor: null };
export type SelfContext = RequestFacts & { via: 'self'; actor: null };
export type SystemContext = RequestFacts & { via: 'system'; actor: null };

/** One request's context; `via` tells the kinds apart, and only staff have an actor. */
export type RequestContext = StaffContext | PublicContext | SelfContext | SystemContext;

function facts(request: FastifyRequest): RequestFacts {
  return {
    locale: pickLocale(request.headers['accept-language']),
    ip: request.ip ?? null,
    userAgent: request.headers['user-agent'] ?? null,
  };
}

/** The signed-in staff member behind a request; throws UNAUTHENTICATED when nobody is signed in. */
export function staffContext(request: FastifyRequest): StaffContext {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return { via: 'staff', actor: request.actor, ...facts(request) };
}

/** An anonymous request on a public page (sign-up, event registration, ticket). */
export function publicContext(request: FastifyRequest): PublicContext {
  return { via: 'public', actor: null, ...facts(request) };
}

/** A supporter signed in to their own data (/me, a mailed sign-in link). */
export function selfContext(request: FastifyRequest): SelfContext {
  return { via: 'self', actor: null, ...facts(request) };
}

/** Kankei itself: the seed, background jobs, cards issued on a confirmed sign-up. */
export function systemContext(): SystemContext {
  return { via: 'system', actor: null, locale: 'ja', ip: null, userAgent: null };
}
