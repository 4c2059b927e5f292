import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { staffContext } from '../../platform/request-context.js';
import { errorMessage, pickLocale, type Locale } from '../../platform/i18n.js';
import type { PublicUrl } from '../../platform/public-url.js';
import type { CardVerdictKey } from '../../shared/codes.js';
import { ErrorResponse, IdParams } from '../../platform/validation.js';
import { publishedJwks, rotateSigningKey } from './cards.keys.js';
import {
  CardRecord,
  IssueCardBody,
  IssuedCard,
  Jwks,
  RevokeCardBody,
  RevokedCards,
  RotationResult,
  VerifyCardBody,
  VerifyCardResult,
  type CardInvalidReason,
} from './cards.schemas.js';
import {
  cardQrSvg,
  cardVerifyUrl,
  issueCard,
  listCards,
  revokeCard,
  revokedCards,
  verifyCardToken,
} from './cards.service.js';
import { SIGNING_KEY_ADMINS } from './cards.policy.js';

const tags = ['supporter cards'];
const personalData = { personalData: true } as const;
const errors = { 400: ErrorResponse, 404: ErrorResponse };

/** The message of each verdict: a reason added to the schema without its message fails the type-check. */
const CARD_REASON_MESSAGES = {
  malformed: 'CARD_MALFORMED',
  bad_signature: 'CARD_BAD_SIGNATURE',
  unknown_key: 'CARD_UNKNOWN_KEY',
  expired: 'CARD_EXPIRED',
  revoked: 'CARD_REVOKED',
  not_yet_valid: 'CARD_NOT_YET_VALID',
  wrong_issuer: 'CARD_WRONG_ISSUER',
} as const satisfies Record<CardInvalidReason, CardVerdictKey>;

export const cardReasonMessage = (locale: Locale, reason: CardInvalidReason) =>
  errorMessage(locale, CARD_REASON_MESSAGES[reason]);

export type CardRouteOptions = {
  db: Db;
  /** Origin of the verify links in card QR codes (configuration only, never a request header). */
  publicUrl: PublicUrl;
  /** The `iss` Kankei signs cards with and accepts on verification. */
  issuer: string;
};

/** Under /api: verification and revocation list (public), issue/list/revoke (staff), key rotation (admin). */
export async function cardRoutes(appBase: FastifyInstance, { db, publicUrl, issuer }: CardRouteOptions) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.post(
    '/cards/verify',
    {
      config: { public: true, rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Verify a supporter card (public): signature against the published JWKS, expiry, then revocation',
        description:
          'A token that is not a string of 1–4,096 characters of base64url and dots is a bad request (400 naming token). Any such string answers 200: ' +
          '{valid: true, card} or {valid: false, reason, message} — reason one of malformed, bad_signature, unknown_key, expired, revoked, not_yet_valid, wrong_issuer (signed by our key for another issuer than the configured one).',
        security: [],
        body: VerifyCardBody,
        response: { 200: VerifyCardResult, 400: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request, reply) => {
      const outcome = await verifyCardToken(db, request.body.token, { issuer });
      reply.header('cache-control', 'no-store');
      if (outcome.valid) return outcome;
      return { ...outcome, message: cardReasonMessage(pickLocale(request.headers['accept-language']), outcome.reason) };
    },
  );

  app.get(
    '/cards/revoked',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Revoked cards that have not expired yet (public), for verifiers that check offline',
        security: [],
        response: { 200: RevokedCards },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=60');
      return revokedCards(db);
    },
  );

  app.get(
    '/people/:id/cards',
    {
      config: personalData,
      schema: {
        tags,
        summary: "The person's cards, newest first (audited)",
        params: IdParams,
        response: { 200: z.object({ items: z.array(CardRecord) }), ...errors },
      },
    },
    async (request) => ({ items: await listCards(db, staffContext(request), request.params.id) }),
  );

  app.post(
    '/people/:id/cards',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Issue (or reissue) the person’s card; the previous card is revoked as replaced',
        params: IdParams,
        body: IssueCardBody,
        response: { 201: IssuedCard, ...errors },
      },
    },
    async (request, reply) => {
      const base = publicUrl();
      const issued = await issueCard(db, staffContext(request), {
        personId: request.params.id,
        ...request.body,
        issuer,
      });
      return reply
        .status(201)
        .send({ ...issued, verifyUrl: cardVerifyUrl(issued.token, base), qrSvg: await cardQrSvg(issued.token, base) });
    },
  );

  app.post(
    '/cards/:id/revoke',
    {
      config: personalData,
      schema: {
        tags,
        summary: 'Revoke a card (no effect on an already revoked card)',
        params: IdParams,
        body: RevokeCardBody,
        response: { 200: CardRecord, ...errors },
      },
    },
    (request) => revokeCard(db, staffContext(request), request.params.id, request.body.reason),
  );

  app.post(
    '/cards/keys/rotate',
    {
      config: { roles: SIGNING_KEY_ADMINS },
      schema: {
        tags,
        summary: 'Rotate the card signing key (admin); cards signed before stay valid until they expire',
        response: { 200: RotationResult, 403: ErrorResponse },
      },
    },
    (request) => rotateSigningKey(db, staffContext(request)),
  );
}

/**
 * Outside /api: the JWKS at its well-known address. (The page the QR codes open, `/verify`, is the
 * web UI's; it reads the token from the fragment and posts it to /api/cards/verify.)
 */
export async function cardPublicRoutes(appBase: FastifyInstance, { db }: { db: Db }) {
  const app = appBase.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: { tags, summary: 'Public keys that sign supporter cards (JWKS)', security: [], response: { 200: Jwks } },
    },
    async (_request, reply) => {
      // Short: a rotation shows within minutes; verifiers refetch anyway when they meet an unknown kid.
      reply.header('cache-control', 'public, max-age=300');
      return publishedJwks(db);
    },
  );
}
