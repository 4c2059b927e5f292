/**
 * The security headers every answer carries (pages, API, files, errors), through @fastify/helmet.
 *
 * - A strict Content-Security-Policy: scripts and styles only from Kankei's own origin, no inline
 *   script at all (the built web UI has none), nothing may frame Kankei (clickjacking on staff
 *   pages), forms post only to Kankei. Images allow `data:` for the QR codes the UI shows as
 *   data URLs; media allows `blob:` for the check-in desk's camera preview.
 * - `Referrer-Policy: no-referrer`: pages opened with a token in the address (`/me/sign-in?token=`,
 *   `/register/confirm?token=`, `/tickets/<token>`) must not hand it to any site they link to.
 * - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` for older browsers.
 * - Over https only: HSTS and `upgrade-insecure-requests` (on plain http they would break a
 *   local installation).
 */
import type { FastifyHelmetOptions } from '@fastify/helmet';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'", 'data:'],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  manifestSrc: ["'self'"],
  mediaSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  workerSrc: ["'self'"],
} as const;

export function securityHeaders({ https }: { https: boolean }): FastifyHelmetOptions {
  return {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...CONTENT_SECURITY_POLICY, ...(https ? { upgradeInsecureRequests: [] } : {}) },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // Verifiers on other sites read /.well-known/jwks.json and post to /api/cards/verify from their
    // servers; CORP only limits what browsers embed, same-origin is right for everything else.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
}
