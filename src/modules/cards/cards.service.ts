/**
 * Digital supporter cards (ふるさとサポーター証 / デジタル住民票): a compact JWS signed with the
 * active Ed25519 key, shown as a page and a QR code, verifiable by anyone — offline against the
 * published JWKS and the revocation list, or online through `verifyCardToken`, which does exactly
 * the offline check (signature against the published JWKS only) and then looks up revocation.
 *
 * Claims: iss (public URL or 'kankei'), sub (person id), jti (card id), iat, exp, name (the
 * holder's name, so that whoever checks the card can match it to the person showing it — nothing
 * else personal), mun (municipality codes), cert (certification kinds held, e.g. kokoro_furusato).
 */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import type { Actor } from '../../platform/auth/actor.js';
import { type RequestContext, type StaffContext, systemContext } from '../../platform/request-context.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { AppError, type FieldProblem } from '../../platform/errors.js';
import { scopedMunicipalities } from '../../platform/scope.js';
import { assertPersonInScope } from '../people/index.js';
import { certificationRules, certifications } from '../donations/index.js';
import { people, personLinks, supporterRegistrations } from '../people/index.js';
import { municipalities } from '../../platform/places.tables.js';
import { activeKeyIn, CARD_ALG, ensureActiveKey, lockSigningKeys, verificationKeys } from './cards.keys.js';
import { cards, erasedCards } from './cards.tables.js';
import {
  MAX_TOKEN_LENGTH,
  type CardInvalidReason,
  type CardRecordView,
  type CardRevokeReason,
  type CardSummaryView,
} from './cards.schemas.js';

export const CARD_TYP = 'kankei-card+jwt';
export const DEFAULT_VALID_DAYS = 365;
/** Clock difference tolerated between the issuing and the verifying machine. */
export const CLOCK_TOLERANCE_S = 60;
const DAY_S = 24 * 60 * 60;
/** Issuer claim when no public URL is configured. */
export const DEFAULT_ISSUER = 'kankei';

/**
 * A compact JWS with an Ed25519 signature in canonical base64url: 64 bytes are 86 characters whose
 * last one carries 2 bits and 4 zero bits. Lenient base64 decoders (jose's included) ignore those
 * 4 bits, so without this check 16 different strings would verify as the same card.
 */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{85}[AQgw]$/;

const CardClaims = z.object({
  iss: z.string(),
  sub: z.uuid(),
  jti: z.uuid(),
  iat: z.number().int(),
  exp: z.number().int(),
  name: z.string(),
  mun: z.array(z.string()),
  cert: z.array(z.string()),
  /** The municipalities of `mun` where the registration is premium (cards issued before tiers: none). */
  prem: z.array(z.string()).default([]),
});
type CardClaimsValue = z.infer<typeof CardClaims>;

/** The staff member behind a request, or null for Kankei itself (sign-up, jobs). */
function staffActor(ctx: RequestContext): Actor | null {
  return ctx.via === 'staff' ? ctx.actor : null;
}

type CardRow = typeof cards.$inferSelect;

export function presentCard(row: CardRow, now = new Date()): CardRecordView {
  return {
    id: row.id,
    personId: row.personId,
    municipalityCodes: row.municipalityCodes,
    kid: row.kid,
    issuedAt: row.issuedAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    status: row.revokedAt ? 'revoked' : row.expiresAt <= now ? 'expired' : 'active',
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokeReason: row.revokeReason,
    replacedBy: row.replacedBy,
  };
}

// --- reference data for presenting cards: municipality names, certification labels -------------

type Labels = { municipalities: Map<string, string>; certifications: Map<string, string>; loadedAt: number };
const LABELS_CACHE_MS = 10 * 60 * 1000;
const labelsCache = new WeakMap<Db, Promise<Labels>>();

async function loadLabels(db: Db): Promise<Labels> {
  const [mun, certs] = await Promise.all([
    db.select({ code: municipalities.code, name: municipalities.name }).from(municipalities),
    db.select({ kind: certificationRules.kind, label: certificationRules.label }).from(certificationRules),
  ]);
  return {
    municipalities: new Map(mun.map((m) => [m.code, m.name])),
    certifications: new Map(certs.map((c) => [c.kind, c.label])),
    loadedAt: Date.now(),
  };
}

async function labels(db: Db): Promise<Labels> {
  let cached = labelsCache.get(db);
  if (cached) {
    const value = await cached.catch(() => null);
    if (value && Date.now() - value.loadedAt < LABELS_CACHE_MS) return value;
  }
  cached = loadLabels(db);
  labelsCache.set(db, cached);
  return cached;
}

async function summarize(db: Db, claims: CardClaimsValue): Promise<CardSummaryView> {
  const l = await labels(db);
  return {
    id: claims.jti,
    name: claims.name,
    municipalities: claims.mun.map((code) => ({
      code,
      name: l.municipalities.get(code) ?? code,
      tier: claims.prem.includes(code) ? ('premium' as const) : ('basic' as const),
    })),
    issuedAt: new Date(claims.iat * 1000).toISOString(),
    expiresAt: new Date(claims.exp * 1000).toISOString(),
    certifications: claims.cert.map((kind) => ({ kind, label: l.certifications.get(kind) ?? kind })),
  };
}

// --- issue ----------------------------------------------------------------------------------------

export type IssueCardInput = {
  personId: string;
  /** Default: every municipality the person is a registered supporter of. */
  municipalityCodes?: string[];
  validDays?: number;
  /** Becomes the `iss` claim (the configured issuer, see app.ts); 'kankei' when absent. */
  issuer?: string;
  /** Internal (tests, benchmarks): sign as if it were this moment. */
  now?: Date;
};

async function checkMunicipalities(
  db: Db,
  actor: Actor | null,
  requested: string[] | undefined,
  supported: string[],
): Promise<string[]> {
  if (requested === undefined) {
    if (!supported.length)
      throw new AppError('VALIDATION', { fields: { municipalityCodes: { problem: 'no_supporter_municipality' } } });
    return [...supported].sort();
  }
  const codes = [...new Set(requested)];
  const known = new Set(
    (
      await db.select({ code: municipalities.code }).from(municipalities).where(inArray(municipalities.code, codes))
    ).map((r) => r.code),
  );
  const scope = actor ? scopedMunicipalities(actor) : null;
  const fields: Record<string, FieldProblem> = {};
  requested.forEach((code, i) => {
    const field = `municipalityCodes.${i}`;
    if (!known.has(code)) fields[field] = { problem: 'unknown_municipality', params: { value: code } };
    else if (scope && !scope.includes(code)) fields[field] = { problem: 'outside_scope' };
    else if (!supported.includes(code)) fields[field] = { problem: 'not_a_supporter', params: { value: code } };
  });
  if (Object.keys(fields).length) throw new AppError('VALIDATION', { fields });
  return codes;
}

/**
 * Issues a card and revokes the person's previous unexpired ones (reason `replaced`, `replaced_by`
 * the new card). Staff callers must have the person in scope (NOT_FOUND otherwise) and may only
 * name municipalities in their scope; the card only names municipalities the person supports.
 */
export async function issueCard(
  db: Db,
  ctx: RequestContext,
  input: IssueCardInput,
): Promise<{ card: CardRecordView; token: string }> {
  const actor = staffActor(ctx);
  if (actor) await assertPersonInScope(db, actor, input.personId);
  const supported = (
    await db
      .select({ code: personLinks.municipalityCode })
      .from(personLinks)
      .where(and(eq(personLinks.personId, input.personId), eq(personLinks.kind, 'supporter')))
  ).map((r) => r.code);
  const codes = await checkMunicipalities(db, actor, input.municipalityCodes, supported);
  const validDays = input.validDays ?? DEFAULT_VALID_DAYS;
  await ensureActiveKey(db);

  const issued = await inTransaction(db, async (tx) => {
    // Shared: a rotation waits until this card is stored, so its expiry keeps the old key published.
    await lockSigningKeys(tx, 'shared');
    const key = await activeKeyIn(tx);
    if (!key) throw new Error('no active signing key');
    // One issue per person at a time, so two reissues cannot both leave an active card.
    const [person] = await tx
      .select({ id: people.id, name: people.name })
      .from(people)
      .where(and(eq(people.id, input.personId), isNull(people.deletedAt)))
      .for('update');
    if (!person) throw new AppError('NOT_FOUND');
    const certs = (
      await tx
        .selectDistinct({ kind: certifications.kind })
        .from(certifications)
        .where(eq(certifications.personId, person.id))
        .orderBy(asc(certifications.kind))
    ).map((c) => c.kind);

    const premiumHeld = new Set(
      (
        await tx
          .select({ code: supporterRegistrations.municipalityCode })
          .from(supporterRegistrations)
          .where(and(eq(supporterRegistrations.personId, person.id), eq(supporterRegistrations.tier, 'premium')))
      ).map((r) => r.code),
    );
    const prem = codes.filter((c) => premiumHeld.has(c)).sort();

    const id = randomUUID();
    const issuedAt = input.now ?? new Date();
    const iat = Math.floor(issuedAt.getTime() / 1000);
    const exp = iat + validDays * DAY_S;
    const token = await new SignJWT({ name: person.name, mun: codes, cert: certs, prem })
      .setProtectedHeader({ alg: CARD_ALG, kid: key.kid, typ: CARD_TYP })
      .setIssuer(input.issuer ?? DEFAULT_ISSUER)
      .setSubject(person.id)
      .setJti(id)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(key.privateKey);

    const [row] = await tx
      .insert(cards)
      // issued_at keeps milliseconds (the order of reissues within a second); iat is its whole second.
      .values({
        id,
        personId: person.id,
        municipalityCodes: codes,
        kid: key.kid,
        token,
        issuedAt,
        expiresAt: new Date(exp * 1000),
      })
      .returning();
    const replaced = await tx
      .update(cards)
      .set({ revokedAt: sql`now()`, revokeReason: 'replaced' satisfies CardRevokeReason, replacedBy: id })
      .where(
        and(eq(cards.personId, person.id), ne(cards.id, id), isNull(cards.revokedAt), gt(cards.expiresAt, sql`now()`)),
      )
      .returning({ id: cards.id });
    await recordAudit(tx, ctx, {
      action: 'card.issue',
      entityType: 'card',
      entityId: id,
      personId: person.id,
      details: {
        kid: key.kid,
        municipalityCodes: codes,
        validDays,
        certifications: certs,
        premium: prem,
        replaced: replaced.map((r) => r.id),
      },
    });
    return { card: presentCard(row!), token, replaced: replaced.length };
  });
  // After the commit, so that no request refills the cache with the old state in between.
  if (issued.replaced) revokedListCache.delete(db);
  return { card: issued.card, token: issued.token };
}

// --- verify ---------------------------------------------------------------------------------------

export type VerifyOutcome = { valid: true; card: CardSummaryView } | { valid: false; reason: CardInvalidReason };

const refuse = (reason: CardInvalidReason): VerifyOutcome => ({ valid: false, reason });

function reasonOf(error: unknown): CardInvalidReason {
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'unknown_key';
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'wrong_issuer';
    return error.claim === 'nbf' || error.claim === 'iat' ? 'not_yet_valid' : 'malformed';
  }
  if (error instanceof joseErrors.JOSEError) return 'malformed';
  throw error;
}

/**
 * The one read a verification makes, prepared once per database (it is the hot path). It names the
 * person too, so on Citus it goes to the one shard holding the person and their cards.
 */
function prepareRevocationQuery(db: Db) {
  return db
    .select({ revokedAt: cards.revokedAt, deletedAt: people.deletedAt })
    .from(cards)
    .innerJoin(people, eq(people.id, cards.personId))
    .where(and(eq(cards.id, sql.placeholder('id')), eq(cards.personId, sql.placeholder('personId'))))
    .limit(1)
    .prepare('kankei_card_revocation');
}
const revocationQueries = new WeakMap<Db, ReturnType<typeof prepareRevocationQuery>>();
function revocationQuery(db: Db) {
  let query = revocationQueries.get(db);
  if (!query) {
    query = prepareRevocationQuery(db);
    revocationQueries.set(db, query);
  }
  return query;
}

/**
 * Checks a card as any verifier would offline — canonical compact JWS, EdDSA, typ, the signature
 * against the published JWKS only, the issuer, expiry — and then whether the issuer still stands
 * by it: the card is on record, not revoked, and its holder not deleted. Never throws for a bad token.
 * `expected.issuer` is the configured issuer: a token our key signed for another issuer (a key
 * shared by mistake between installations, a test system) is not one of our cards.
 */
export async function verifyCardToken(db: Db, token: string, expected: { issuer: string }): Promise<VerifyOutcome> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token))
    return refuse('malformed');
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== CARD_ALG || header.typ !== CARD_TYP) return refuse('malformed');
    kid = header.kid;
  } catch {
    return refuse('malformed');
  }
  if (typeof kid !== 'string' || !kid) return refuse('malformed');
  const keys = await verificationKeys(db, kid);
  if (!keys.kids.has(kid)) return refuse('unknown_key');

  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, keys.keySet, {
      algorithms: [CARD_ALG],
      typ: CARD_TYP,
      issuer: expected.issuer,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'jti', 'iat', 'exp'],
    }));
  } catch (error) {
    return refuse(reasonOf(error));
  }
  const parsed = CardClaims.safeParse(payload);
  if (!parsed.success) return refuse('malformed');
  const claims = parsed.data;
  if (claims.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) return refuse('not_yet_valid');

  const [row] = await revocationQuery(db).execute({ id: claims.jti, personId: claims.sub });
  // Not on record any more (the holder's data was erased) counts as revoked.
  if (!row || row.revokedAt || row.deletedAt) return refuse('revoked');
  return { valid: true, card: await summarize(db, claims) };
}

// --- revoke, list ---------------------------------------------------------------------------------

async function cardInScope(db: Db, ctx: StaffContext, cardId: string): Promise<CardRow> {
  const [row] = await db.select().from(cards).where(eq(cards.id, cardId)).limit(1);
  if (!row) throw new AppError('NOT_FOUND');
  await assertPersonInScope(db, ctx.actor, row.personId);
  return row;
}

/** Revokes a card (NOT_FOUND outside the caller's scope). Revoking a revoked card changes nothing. */
export async function revokeCard(
  db: Db,
  ctx: StaffContext,
  cardId: string,
  reason: CardRevokeReason,
): Promise<CardRecordView> {
  const card = await inTransaction(db, async (tx) => {
    const row = await cardInScope(tx, ctx, cardId);
    if (row.revokedAt) return presentCard(row);
    const [updated] = await tx
      .update(cards)
      .set({ revokedAt: sql`now()`, revokeReason: reason })
      .where(and(eq(cards.id, cardId), isNull(cards.revokedAt)))
      .returning();
    if (!updated) return presentCard((await tx.select().from(cards).where(eq(cards.id, cardId)))[0]!);
    await recordAudit(tx, ctx, {
      action: 'card.revoke',
      entityType: 'card',
      entityId: cardId,
      personId: row.personId,
      details: { reason },
    });
    return presentCard(updated);
  });
  revokedListCache.delete(db);
  return card;
}

/** The person's cards, newest first (audited as card.read). */
export async function listCards(db: Db, ctx: StaffContext, personId: string): Promise<CardRecordView[]> {
  await assertPersonInScope(db, ctx.actor, personId);
  const rows = await db
    .select()
    .from(cards)
    .where(eq(cards.personId, personId))
    .orderBy(desc(cards.issuedAt), desc(cards.id));
  await recordAudit(db, ctx, {
    action: 'card.read',
    entityType: 'person',
    entityId: personId,
    personId,
    details: { cards: rows.length },
  });
  const now = new Date();
  return rows.map((r) => presentCard(r, now));
}

export type RevokedCardList = {
  generatedAt: string;
  items: Array<{ id: string; revokedAt: string; expiresAt: string }>;
};

const REVOKED_LIST_CACHE_MS = 30_000;
const revokedListCache = new WeakMap<Db, { at: number; list: Promise<RevokedCardList> }>();

/**
 * Cards that would still verify by signature but are no longer valid: revoked, or their holder
 * deleted — until they expire. For verifiers that check offline. Cached for 30 s (public route).
 */
export async function revokedCards(db: Db): Promise<RevokedCardList> {
  const cached = revokedListCache.get(db);
  if (cached && Date.now() - cached.at < REVOKED_LIST_CACHE_MS) return cached.list;
  const list = (async () => {
    const rows = await db
      .select({
        id: cards.id,
        revokedAt: sql<Date>`coalesce(${cards.revokedAt}, ${people.deletedAt})`.mapWith(cards.revokedAt),
        expiresAt: cards.expiresAt,
      })
      .from(cards)
      .innerJoin(people, eq(people.id, cards.personId))
      .where(and(gt(cards.expiresAt, sql`now()`), or(isNotNull(cards.revokedAt), isNotNull(people.deletedAt))));
    const erased = await db
      .select({ id: erasedCards.id, revokedAt: erasedCards.erasedAt, expiresAt: erasedCards.expiresAt })
      .from(erasedCards)
      .where(gt(erasedCards.expiresAt, sql`now()`));
    const items = [...rows, ...erased]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((r) => ({ id: r.id, revokedAt: r.revokedAt.toISOString(), expiresAt: r.expiresAt.toISOString() }));
    return { generatedAt: new Date().toISOString(), items };
  })();
  revokedListCache.set(db, { at: Date.now(), list });
  list.catch(() => revokedListCache.delete(db));
  return list;
}

/**
 * Keeps the ids of the unexpired cards of people about to be erased (see erased_cards), so the
 * revocation list still names them. Call in the erasing transaction, before the people go.
 */
export async function recordErasedCards(tx: Tx, personIds: string[]): Promise<void> {
  if (!personIds.length) return;
  const doomed = await tx
    .select({ id: cards.id, expiresAt: cards.expiresAt })
    .from(cards)
    .where(and(inArray(cards.personId, personIds), gt(cards.expiresAt, sql`now()`)));
  // The cached public list (30 s) picks these up on its next refresh.
  if (doomed.length) await tx.insert(erasedCards).values(doomed).onConflictDoNothing();
}

// --- QR, self-service -----------------------------------------------------------------------------

/**
 * The link a QR code carries: the verify page with the token in the fragment, so a phone opening
 * it never sends the token to a server (fragments stay in the browser; the page posts it).
 */
export function cardVerifyUrl(token: string, publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/verify#${token}`;
}

export function cardQrSvg(token: string, publicUrl: string): Promise<string> {
  return QRCode.toString(cardVerifyUrl(token, publicUrl), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export type CurrentCardView = { card: CardSummaryView; token: string; verifyUrl: string; qrSvg: string };

/**
 * The person's current card (newest unrevoked, unexpired) for the supporter's own page, or null.
 * The QR links to `publicUrl`, by default the card's issuer when that is a URL.
 */
export async function getCurrentCardView(
  db: Db,
  personId: string,
  publicUrl?: string,
): Promise<CurrentCardView | null> {
  const [row] = await db
    .select({ token: cards.token })
    .from(cards)
    .innerJoin(people, eq(people.id, cards.personId))
    .where(
      and(
        eq(cards.personId, personId),
        isNull(cards.revokedAt),
        gt(cards.expiresAt, sql`now()`),
        isNull(people.deletedAt),
      ),
    )
    .orderBy(desc(cards.issuedAt))
    .limit(1);
  if (!row) return null;
  const claims = CardClaims.parse(decodeJwt(row.token));
  const base = publicUrl ?? (/^https?:\/\//.test(claims.iss) ? claims.iss : '');
  return {
    card: await summarize(db, claims),
    token: row.token,
    verifyUrl: cardVerifyUrl(row.token, base),
    qrSvg: await cardQrSvg(row.token, base),
  };
}

/**
 * For `registryRoutes({ onConfirmed })`: gives a newly confirmed supporter a card for every
 * municipality they support (replacing an earlier card). A failure is reported, not thrown: the
 * sign-up itself succeeded and staff can issue the card later.
 */
export function issueCardOnSignUp(issuer: string, onError: (error: unknown) => void = () => {}) {
  return async (db: Db, confirmed: { personId: string }) => {
    try {
      await issueCard(db, systemContext(), { personId: confirmed.personId, issuer });
    } catch (error) {
      onError(error);
    }
  };
}

/**
 * Reissues the person's current card when what it says is out of date (name, certifications or
 * supported municipalities changed), keeping its municipalities where still supported. For the
 * modules that change those (e.g. donations after recomputing certifications); audited as
 * 'system'. Returns whether a new card was issued.
 */
export async function reissueCardIfStale(db: Db, personId: string, issuer?: string): Promise<boolean> {
  const [current] = await db
    .select({ token: cards.token, municipalityCodes: cards.municipalityCodes })
    .from(cards)
    .where(and(eq(cards.personId, personId), isNull(cards.revokedAt), gt(cards.expiresAt, sql`now()`)))
    .orderBy(desc(cards.issuedAt))
    .limit(1);
  if (!current) return false;
  const claims = CardClaims.parse(decodeJwt(current.token));
  const [person] = await db
    .select({ name: people.name })
    .from(people)
    .where(and(eq(people.id, personId), isNull(people.deletedAt)));
  if (!person) return false;
  const certs = (
    await db
      .selectDistinct({ kind: certifications.kind })
      .from(certifications)
      .where(eq(certifications.personId, personId))
      .orderBy(asc(certifications.kind))
  ).map((c) => c.kind);
  const supported = new Set(
    (
      await db
        .select({ code: personLinks.municipalityCode })
        .from(personLinks)
        .where(and(eq(personLinks.personId, personId), eq(personLinks.kind, 'supporter')))
    ).map((r) => r.code),
  );
  const keep = current.municipalityCodes.filter((c) => supported.has(c));
  const premium = (
    await db
      .select({ code: supporterRegistrations.municipalityCode })
      .from(supporterRegistrations)
      .where(and(eq(supporterRegistrations.personId, personId), eq(supporterRegistrations.tier, 'premium')))
  )
    .map((r) => r.code)
    .filter((c) => keep.includes(c))
    .sort();
  const same =
    person.name === claims.name &&
    certs.join(',') === claims.cert.join(',') &&
    premium.join(',') === [...claims.prem].sort().join(',') &&
    keep.length === current.municipalityCodes.length;
  if (same || !keep.length) return false;
  await issueCard(db, systemContext(), { personId, municipalityCodes: keep, issuer: issuer ?? claims.iss });
  return true;
}
