/**
 * One database connection held in one transaction for a whole import, with the two things an
 * import needs beyond Drizzle: COPY into staging tables and multi-statement scripts sent in one
 * round trip. PostgreSQL: a pooled client, COPY FROM STDIN through pg-copy-streams. PGlite:
 * its transaction, COPY FROM '/dev/blob'. Both take the same text-format COPY data.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db, DriverName } from '../../platform/db/client.js';

export type BulkSession = {
  driver: DriverName;
  /** One statement, with parameters. */
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements without parameters in one round trip; the rows of each statement. */
  script(text: string): Promise<unknown[][]>;
  /** COPY text-format data (see copyLine) into a table. */
  copyIn(table: string, columns: readonly string[], data: string): Promise<void>;
};

function underlyingClient(db: Db): pg.Pool | PGlite {
  return (db as unknown as { $client: pg.Pool | PGlite }).$client;
}

/** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
export async function withBulkSession<T>(db: Db, work: (session: BulkSession) => Promise<T>): Promise<T> {
  const client = underlyingClient(db);
  if (client instanceof pg.Pool) {
    const conn = await client.connect();
    let broken = false;
    try {
      await conn.query('begin');
      const session: BulkSession = {
        driver: 'postgres',
        query: async <R>(text: string, params?: unknown[]) => (await conn.query(text, params as unknown[])).rows as R[],
        script: async (text: string) => {
          const result = (await conn.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
          return (Array.isArray(result) ? result : [result]).map((r) => r.rows ?? []);
        },
        copyIn: async (table, columns, data) => {
          const stream = conn.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`));
          await pipeline(Readable.from([Buffer.from(data, 'utf8')]), stream);
        },
      };
      const result = await work(session);
      await conn.query('commit');
      return result;
    } catch (err) {
      await conn.query('rollback').catch(() => {
        broken = true;
      });
      throw err;
    } finally {
      conn.release(broken);
    }
  }
  return (client as PGlite).transaction(async (tx: Transaction) =>
    work({
      driver: 'pglite',
      query: async <R>(text: string, params?: unknown[]) => (await tx.query<R>(text, params)).rows,
      script: async (text: string) => (await tx.exec(text)).map((r) => r.rows),
      copyIn: async (table, columns, data) => {
        await tx.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob: new Blob([data]) });
      },
    }),
  );
}

// --- COPY text format ------------------------------------------------------------------------

const COPY_SPECIAL = /[\\\t\n\r]/g;
const HAS_COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const ARRAY_SPECIAL = /["\\]/g;
const HAS_ARRAY_SPECIAL = /["\\]/;

/** A PostgreSQL array literal of text: {"a","b"} with quotes and backslashes escaped. */
export function arrayLiteral(items: readonly string[]): string {
  const joined = items.join('","');
  // Usually nothing to escape: one test of the joined items instead of one replace per item.
  if (!HAS_ARRAY_SPECIAL.test(joined)) return items.length ? `{"${joined}"}` : '{}';
  return `{${items.map((s) => `"${s.replace(ARRAY_SPECIAL, (c) => `\\${c}`)}"`).join(',')}}`;
}

export type CopyValue = string | number | boolean | readonly string[] | null | undefined;

function copyField(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : arrayLiteral(value);
  return HAS_COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c]!) : text;
}

/** One line of COPY text format. */
export function copyLine(values: readonly CopyValue[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + copyField(values[i]);
  return `${line}\n`;
}
