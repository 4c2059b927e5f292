/**
 * Ed25519 keys that sign supporter cards. Exactly one key is active (not retired) at a time; it is
 * created on first use. Rotation retires it and creates the next one; a retired key stays in the
 * published JWKS until the last card it signed has expired (`published_until`), so rotation never
 * invalidates a card that is still valid. The private JWK never leaves this file except to sign.
 *
 * Concurrency: signing and rotating take a PostgreSQL advisory lock on the same number — issuing
 * in shared mode, creating or rotating keys in exclusive mode — so a rotation waits for cards being
 * signed with the old key and then sees all of them when it computes `published_until`. The lock
 * is transaction-scoped and works the same on PGlite and PostgreSQL (on Citus, on the coordinator).
 */
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { inTransaction, type Tx } from '../../platform/db/unit-of-work.js';
import { recordAudit } from '../../platform/audit/audit.service.js';
import { cards, signingKeys } from './cards.tables.js';
import type { RequestContext } from '../../platform/request-context.js';

export const CARD_ALG = 'EdDSA';
/** Advisory lock number guarding the signing keys ("kankei cards"). */
const KEY_LOCK = 0x6b616e6b6569;
/** How long a process trusts its copy of the published keys before reading them again. */
export const JWKS_CACHE_MS = 60_000;
/** An unknown kid reloads the keys at most this often (another process may just have rotated). */
const JWKS_MISS_RELOAD_MS = 1_000;

export type PublicCardJwk = { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; alg: typeof CARD_ALG; use: 'sig' };
export type CardJwks = { keys: PublicCardJwk[] };

export type ActiveKey = { kid: string; privateKey: CryptoKey };

/** Takes the key lock for the rest of the transaction: shared while signing, exclusive to change keys. */
export async function lockSigningKeys(tx: Tx, mode: 'shared' | 'exclusive'): Promise<void> {
  if (mode === 'shared') await tx.execute(sql`select pg_advisory_xact_lock_shared(${KEY_LOCK}::bigint)`);
  else await tx.execute(sql`select pg_advisory_xact_lock(${KEY_LOCK}::bigint)`);
}

/** A fresh Ed25519 key pair as JWKs; kid is the RFC 7638 thumbprint of the public key. */
export async function generateSigningKey(): Promise<{ kid: string; publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair(CARD_ALG, { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, publicJwk, privateJwk };
}

/** Only the public members, whatever the stored JWK holds. */
export function publicPart(kid: string, jwk: Record<string, unknown>): PublicCardJwk {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    throw new Error(`signing key ${kid} is not an Ed25519 public key`);
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid, alg: CARD_ALG, use: 'sig' };
}

/** Imported private keys by kid; a kid names one key pair forever, so this never goes stale. */
const privateKeys = new Map<string, Promise<CryptoKey>>();

function importPrivate(kid: string, jwk: Record<string, unknown>): Promise<CryptoKey> {
  let key = privateKeys.get(kid);
  if (!key) {
    key = importJWK(jwk as JWK, CARD_ALG) as Promise<CryptoKey>;
    privateKeys.set(kid, key);
    key.catch(() => privateKeys.delete(kid));
  }
  return key;
}

async function selectActive(db: Db) {
  const [row] = await db
    .select({ kid: signingKeys.kid, privateJwk: signingKeys.privateJwk })
    .from(signingKeys)
    .where(isNull(signingKeys.retiredAt))
    .orderBy(signingKeys.createdAt)
    .limit(1);
  return row;
}

/**
 * The active key, for signing inside `tx`, which must hold the shared key lock. Null when there is
 * none yet: call `ensureActiveKey` outside the transaction and try again.
 */
export async function activeKeyIn(tx: Tx): Promise<ActiveKey | null> {
  const row = await selectActive(tx);
  return row ? { kid: row.kid, privateKey: await importPrivate(row.kid, row.privateJwk) } : null;
}

/** Creates the first key when there is none; safe when several processes try at once. */
export async function ensureActiveKey(db: Db): Promise<string> {
  const existing = await selectActive(db);
  if (existing) return existing.kid;
  const fresh = await generateSigningKey();
  const kid = await inTransaction(db, async (tx) => {
    await lockSigningKeys(tx, 'exclusive');
    const again = await selectActive(tx);
    if (again) return again.kid;
    await tx.insert(signingKeys).values({
      kid: fresh.kid,
      publicJwk: fresh.publicJwk as Record<string, unknown>,
      privateJwk: fresh.privateJwk as Record<string, unknown>,
    });
    return fresh.kid;
  });
  invalidateJwksCache(db);
  return kid;
}

export type RotationResult = { kid: string; retired: Array<{ kid: string; publishedUntil: string }> };

/**
 * Retires the active key (it signs nothing more and stays published until its last card expires)
 * and makes a new one active. Audited as `card.key_rotate`.
 */
export async function rotateSigningKey(db: Db, origin: RequestContext): Promise<RotationResult> {
  const fresh = await generateSigningKey();
  const result = await inTransaction(db, async (tx) => {
    // Waits for cards being signed right now, so their expiry is counted below.
    await lockSigningKeys(tx, 'exclusive');
    const retired = await tx
      .update(signingKeys)
      .set({
        retiredAt: sql`now()`,
        publishedUntil: sql`coalesce((select max(${cards.expiresAt}) from ${cards} where ${cards.kid} = ${signingKeys.kid}), now())`,
      })
      .where(isNull(signingKeys.retiredAt))
      .returning({ kid: signingKeys.kid, publishedUntil: signingKeys.publishedUntil });
    await tx.insert(signingKeys).values({
      kid: fresh.kid,
      publicJwk: fresh.publicJwk as Record<string, unknown>,
      privateJwk: fresh.privateJwk as Record<string, unknown>,
    });
    await recordAudit(tx, origin, {
      action: 'card.key_rotate',
      entityType: 'signing_key',
      entityId: fresh.kid,
      details: { kid: fresh.kid, retired: retired.map((r) => r.kid) },
    });
    return {
      kid: fresh.kid,
      retired: retired.map((r) => ({ kid: r.kid, publishedUntil: r.publishedUntil!.toISOString() })),
    };
  });
  invalidateJwksCache(db);
  return result;
}

/**
 * The public keys a verifier needs: the active key and every retired key that still has an
 * unexpired card. Public members only — never `d`.
 */
export async function publishedJwks(db: Db): Promise<CardJwks> {
  const rows = await db
    .select({ kid: signingKeys.kid, publicJwk: signingKeys.publicJwk })
    .from(signingKeys)
    .where(or(isNull(signingKeys.retiredAt), gt(signingKeys.publishedUntil, sql`now()`)))
    .orderBy(signingKeys.createdAt);
  return { keys: rows.map((r) => publicPart(r.kid, r.publicJwk)) };
}

export type VerificationKeys = {
  kids: Set<string>;
  keySet: ReturnType<typeof createLocalJWKSet>;
  loadedAt: number;
};

const jwksCache = new WeakMap<Db, Promise<VerificationKeys>>();

function loadKeys(db: Db): Promise<VerificationKeys> {
  const loading = publishedJwks(db).then((jwks) => ({
    kids: new Set(jwks.keys.map((k) => k.kid)),
    keySet: createLocalJWKSet(jwks),
    loadedAt: Date.now(),
  }));
  jwksCache.set(db, loading);
  loading.catch(() => {
    if (jwksCache.get(db) === loading) jwksCache.delete(db);
  });
  return loading;
}

/**
 * The published JWKS as a local key set — exactly what a third party verifying offline would use —
 * cached for JWKS_CACHE_MS. `kid` not in the cached set reloads it (at most once a second), so a
 * key created by another process is found without waiting for the cache to expire.
 */
export async function verificationKeys(db: Db, kid?: string): Promise<VerificationKeys> {
  const cached = jwksCache.get(db);
  let keys = cached ? await cached : await loadKeys(db);
  if (Date.now() - keys.loadedAt > JWKS_CACHE_MS) keys = await loadKeys(db);
  else if (kid !== undefined && !keys.kids.has(kid) && Date.now() - keys.loadedAt > JWKS_MISS_RELOAD_MS)
    keys = await loadKeys(db);
  return keys;
}

export function invalidateJwksCache(db: Db): void {
  jwksCache.delete(db);
}
