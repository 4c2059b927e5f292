/**
 * The tenant of a deployment: the prefecture whose municipalities it serves. Settings kept per
 * prefecture (registration, sender identity, matching) are keyed by it; one rule for all of them.
 */
import { asc } from 'drizzle-orm';
import type { Db } from './db/client.js';
import { municipalities } from './places.tables.js';

/**
 * The prefecture of the municipality with the lowest code (Yamagata: 06); null before any
 * municipality is loaded (a fresh database before its seed).
 */
export async function servedPrefecture(db: Db): Promise<string | null> {
  const [row] = await db
    .select({ code: municipalities.prefectureCode })
    .from(municipalities)
    .orderBy(asc(municipalities.code))
    .limit(1);
  return row?.code ?? null;
}
