/**
 * Supporter card verification throughput: `verifyCardToken` (canonical-form check, signature
 * against the cached published JWKS, expiry, then the revocation lookup — one primary-key read)
 * on in-memory PGlite and on PostgreSQL in a fresh database, next to a bare jose `compactVerify` of
 * the same tokens with an in-memory key — the ceiling set by Ed25519 alone.
 *
 * Run alone: `npx tsx bench/card-verify.ts` (BENCH_SECONDS, default 5; BENCH_CARDS, default 1000;
 * BENCH_DATABASE_URL / TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { compactVerify, importJWK, type JWK } from 'jose';
import pg from 'pg';
import { openDatabase, type Database } from '../src/platform/db/client.js';
import { seedYamagataPlaces } from '../src/modules/places/places.service.js';
import { seedCertificationRules } from '../src/seed/seed.js';
import { derivedColumns } from '../src/modules/people/people.service.js';
import { people, personLinks } from '../src/modules/people/people.tables.js';
import { certifications } from '../src/modules/donations/donations.tables.js';
import { publishedJwks } from '../src/modules/cards/cards.keys.js';
import { issueCard, verifyCardToken } from '../src/modules/cards/cards.service.js';
import { systemContext } from '../src/platform/request-context.js';
import { cards } from '../src/modules/cards/cards.tables.js';
import { inArray } from 'drizzle-orm';

/** The configured issuer the cards are signed for and checked against, as with PUBLIC_URL set. */
const ISSUER = 'https://kankei.example.jp';
const MUNICIPALITIES = ['062014', '062031', '062049', '062057', '062065'];
/** Share of the benchmark tokens that were revoked (answered `revoked`, still a full check). */
const REVOKED_SHARE = 0.05;

type LoopResult = { perSecond: number; p50Ms: number; p99Ms: number; total: number; valid: number; invalid: number };

async function timedLoop(
  seconds: number,
  concurrency: number,
  operation: (i: number) => Promise<boolean>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let next = 0;
  let valid = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        if (await operation(i)) valid++;
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] ?? Number.NaN;
  return {
    perSecond: latencies.length / elapsed,
    p50Ms: at(50),
    p99Ms: at(99),
    total: latencies.length,
    valid,
    invalid: latencies.length - valid,
  };
}

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** People with supporter links and cards; a few certified, a few revoked. Returns their tokens. */
async function prepare(database: Database, count: number): Promise<{ tokens: string[]; revoked: number }> {
  const { db } = database;
  await database.migrate();
  await seedYamagataPlaces(db);
  await seedCertificationRules(db);
  const rows = Array.from({ length: count }, (_, i) => {
    const fields = {
      name: `ベンチ 利用者${i}`,
      kana: 'ベンチ リヨウシャ',
      email: `card-bench-${i}@example.jp`,
      phone: null,
    };
    return { ...fields, ...derivedColumns(fields) };
  });
  const ids: string[] = [];
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await db
      .insert(people)
      .values(rows.slice(i, i + 500))
      .returning({ id: people.id });
    ids.push(...inserted.map((r) => r.id));
  }
  await db
    .insert(personLinks)
    .values(
      ids.flatMap((id, i) => [
        { personId: id, municipalityCode: MUNICIPALITIES[i % MUNICIPALITIES.length]!, kind: 'supporter' },
      ]),
    );
  await db
    .insert(certifications)
    .values(
      ids
        .filter((_, i) => i % 7 === 0)
        .map((personId) => ({ personId, kind: 'kokoro_furusato', prefectureCode: '06', since: '2024-01-01' })),
    );
  const tokens: string[] = [];
  const cardIds: string[] = [];
  for (let i = 0; i < ids.length; i += 8) {
    const batch = await Promise.all(
      ids.slice(i, i + 8).map((personId) => issueCard(db, systemContext(), { personId, issuer: ISSUER })),
    );
    for (const b of batch) {
      tokens.push(b.token);
      cardIds.push(b.card.id);
    }
  }
  const revokedIds = cardIds.filter((_, i) => i % Math.round(1 / REVOKED_SHARE) === 0);
  await db.update(cards).set({ revokedAt: new Date(), revokeReason: 'other' }).where(inArray(cards.id, revokedIds));
  return { tokens, revoked: revokedIds.length };
}

async function benchDriver(
  label: string,
  database: Database,
  opts: { seconds: number; cards: number; concurrency: number },
  out: Record<string, number | string>,
) {
  const { tokens, revoked } = await prepare(database, opts.cards);
  // Warm-up: JWKS cache, municipality names, connection pool, JIT.
  for (let i = 0; i < 200; i++) await verifyCardToken(database.db, tokens[i % tokens.length]!, { issuer: ISSUER });
  const result = await timedLoop(
    opts.seconds,
    opts.concurrency,
    async (i) => (await verifyCardToken(database.db, tokens[i % tokens.length]!, { issuer: ISSUER })).valid,
  );
  out[`${label} verifyCardToken/s`] = round(result.perSecond);
  out[`${label} p50 ms`] = round(result.p50Ms, 2);
  out[`${label} p99 ms`] = round(result.p99Ms, 2);
  out[`${label} concurrency`] = opts.concurrency;
  out[`${label} valid share`] = round(result.valid / Math.max(1, result.total), 3);
  out[`${label} revoked cards`] = revoked;
  return { tokens, jwks: await publishedJwks(database.db), perSecond: result.perSecond };
}

async function freshPostgres(serverUrl: string): Promise<{ database: Database; drop: () => Promise<void> }> {
  const name = `kankei_bench_cards_${randomBytes(5).toString('hex')}`;
  const admin = async (query: string) => {
    const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ driver: 'postgres', url: url.toString(), poolSize: 10 });
  return {
    database,
    drop: async () => {
      await database.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

export async function runCardVerifyBench(opts: { seconds: number }): Promise<Record<string, number | string>> {
  const cardCount = Number(process.env.BENCH_CARDS ?? 1000);
  const out: Record<string, number | string> = {
    cards: cardCount,
    seconds: opts.seconds,
    node: process.version,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
  };

  const pglite = await openDatabase({ driver: 'pglite' });
  let sample: { tokens: string[]; jwks: Awaited<ReturnType<typeof publishedJwks>>; perSecond: number };
  try {
    // PGlite runs one query at a time; more concurrency only queues.
    sample = await benchDriver('pglite', pglite, { seconds: opts.seconds, cards: cardCount, concurrency: 4 }, out);
  } finally {
    await pglite.close();
  }

  const serverUrl =
    process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  let postgresPerSecond: number | null = null;
  try {
    const pgTarget = await freshPostgres(serverUrl);
    try {
      postgresPerSecond = (
        await benchDriver(
          'postgres',
          pgTarget.database,
          { seconds: opts.seconds, cards: cardCount, concurrency: 8 },
          out,
        )
      ).perSecond;
    } finally {
      await pgTarget.drop();
    }
  } catch (error) {
    out.postgres = `skipped: ${error instanceof Error ? error.message : String(error)}`;
  }

  // The ceiling: Ed25519 verification of the same tokens with the key already in memory.
  const keys = new Map(
    await Promise.all(sample.jwks.keys.map(async (k) => [k.kid, await importJWK(k as JWK, 'EdDSA')] as const)),
  );
  const key = keys.values().next().value!;
  for (let i = 0; i < 200; i++) await compactVerify(sample.tokens[i % sample.tokens.length]!, key);
  for (const [label, concurrency] of [
    ['jose compactVerify', 1],
    ['jose compactVerify ×8', 8],
  ] as const) {
    const bare = await timedLoop(opts.seconds, concurrency, async (i) => {
      await compactVerify(sample.tokens[i % sample.tokens.length]!, key);
      return true;
    });
    out[`${label}/s`] = round(bare.perSecond);
    out[`${label} p50 ms`] = round(bare.p50Ms, 3);
  }
  const ceiling = Math.max(out['jose compactVerify/s'] as number, out['jose compactVerify ×8/s'] as number);
  out['pglite / jose'] = round(sample.perSecond / ceiling, 3);
  if (postgresPerSecond !== null) out['postgres / jose'] = round(postgresPerSecond / ceiling, 3);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  runCardVerifyBench({ seconds })
    .then((result) => {
      for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(32)} ${v}`);
    })
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
