/** Shared server secrets (see secrets.tables.ts) and HMAC helpers built on them. */
import { createHmac, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from './db/client.js';
import { safeEqual } from './auth/auth.service.js';
import { appSecrets } from './secrets.tables.js';

const cache = new WeakMap<Db, Map<string, string>>();

/** The named secret, created (race-safely) on first use. */
export async function getSecret(db: Db, name: string): Promise<string> {
  const known = cache.get(db)?.get(name);
  if (known) return known;
  await db
    .insert(appSecrets)
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  const map = cache.get(db) ?? new Map<string, string>();
  map.set(name, row!.value);
  cache.set(db, map);
  return row!.value;
}

export const hmac = (secret: string, value: string) => createHmac('sha256', secret).update(value).digest('base64url');

/** `value.signature`, verifiable with the same secret. */
export function signValue(secret: string, value: string): string {
  return `${value}.${hmac(secret, value)}`;
}

/** The value if the signature matches, else null. */
export function unsignValue(secret: string, signed: string): string | null {
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  return safeEqual(signed.slice(dot + 1), hmac(secret, value)) ? value : null;
}
