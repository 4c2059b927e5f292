/** Supporter card API shapes (validation, OpenAPI, and the web UI's types). */
import { z } from 'zod';
import { MunicipalityCode } from '../../platform/validation.js';

/** Why a card is refused. */
export const CARD_INVALID_REASONS = [
  'malformed',
  'bad_signature',
  'unknown_key',
  'expired',
  'revoked',
  'not_yet_valid',
  'wrong_issuer',
] as const;
export type CardInvalidReason = (typeof CARD_INVALID_REASONS)[number];

/** Why staff revoke a card; `replaced` is set by reissuing, not chosen. */
export const CARD_REVOKE_REASONS = ['lost', 'stolen', 'withdrawn', 'issued_in_error', 'other'] as const;
export type CardRevokeReason = (typeof CARD_REVOKE_REASONS)[number] | 'replaced';

/**
 * Longest token the verifier reads. A real card is 400–1,200 characters (the name and up to 50
 * municipality codes). Over HTTP, a token that is not 1–4,096 characters of base64url and dots is
 * a bad request (400, naming `token`); any other string that is not a valid card is answered
 * `{valid: false, reason: 'malformed'}`.
 */
export const MAX_TOKEN_LENGTH = 4096;
export const MAX_CARD_MUNICIPALITIES = 50;
export const MAX_VALID_DAYS = 5 * 366;

export const VerifyCardBody = z
  .object({
    token: z
      .string()
      .min(1)
      .max(MAX_TOKEN_LENGTH)
      .regex(/^[A-Za-z0-9_.-]+$/)
      .describe(
        'The compact JWS from the QR code (the part after # in the verify link): base64url and dots, at most 4,096 characters',
      ),
  })
  .strict()
  .meta({ example: { token: 'eyJhbGciOiJFZERTQSIsImtpZCI6Ii4uLiIsInR5cCI6ImthbmtlaS1jYXJkK2p3dCJ9.eyJ…fQ.…' } });

/** What a card says about its holder — all a verifier learns. */
export const CardSummary = z.object({
  id: z.uuid(),
  name: z.string().describe('Holder name as registered, to match the card to the person showing it'),
  municipalities: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      tier: z.enum(['basic', 'premium']).describe('The registration tier with this municipality'),
    }),
  ),
  issuedAt: z.string(),
  expiresAt: z.string(),
  certifications: z.array(z.object({ kind: z.string(), label: z.string() })).describe('e.g. 山形 心のふるさと県民'),
});
export type CardSummaryView = z.infer<typeof CardSummary>;

export const VerifyCardResult = z.discriminatedUnion('valid', [
  z.object({ valid: z.literal(true), card: CardSummary }),
  z.object({
    valid: z.literal(false),
    reason: z.enum(CARD_INVALID_REASONS),
    message: z.string().describe('The reason in the language of Accept-Language'),
  }),
]);
export type VerifyCardResultView = z.infer<typeof VerifyCardResult>;

/** A card as staff see it: state and history, no token. */
export const CardRecord = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  municipalityCodes: z.array(z.string()),
  kid: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  status: z.enum(['active', 'expired', 'revoked']),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
  replacedBy: z.uuid().nullable(),
});
export type CardRecordView = z.infer<typeof CardRecord>;

export const IssueCardBody = z
  .object({
    municipalityCodes: z
      .array(MunicipalityCode)
      .min(1)
      .max(MAX_CARD_MUNICIPALITIES)
      .optional()
      .describe(
        "Municipalities on the card; default: every municipality the person supports. Only the caller's own for municipality staff.",
      ),
    validDays: z.number().int().min(1).max(MAX_VALID_DAYS).optional().describe('Days the card is valid; default 365'),
  })
  .strict()
  .meta({ example: { municipalityCodes: ['062014'], validDays: 365 } });
export type IssueCardBodyInput = z.infer<typeof IssueCardBody>;

export const IssuedCard = z.object({
  card: CardRecord,
  token: z.string(),
  verifyUrl: z.string().describe('What the QR code encodes: the verify page with the token after #'),
  qrSvg: z.string(),
});

export const RevokeCardBody = z
  .object({ reason: z.enum(CARD_REVOKE_REASONS) })
  .strict()
  .meta({ example: { reason: 'lost' } });

export const RevokedCards = z.object({
  generatedAt: z.string(),
  items: z.array(z.object({ id: z.uuid(), revokedAt: z.string(), expiresAt: z.string() })),
});

export const Jwks = z.object({
  keys: z.array(
    z.object({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519'),
      x: z.string(),
      kid: z.string(),
      alg: z.literal('EdDSA'),
      use: z.literal('sig'),
    }),
  ),
});

export const RotationResult = z.object({
  kid: z.string(),
  retired: z.array(z.object({ kid: z.string(), publishedUntil: z.string() })),
});

export const CurrentCardView = z.object({
  card: CardSummary,
  token: z.string().describe('The signed card (compact JWS)'),
  verifyUrl: z.string().describe('What the QR code encodes: the public verify page with the token in the fragment'),
  qrSvg: z.string().describe('QR code of verifyUrl as an SVG document'),
});
