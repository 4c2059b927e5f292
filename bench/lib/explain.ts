/**
 * Query plans of the search as the service really issues it: the SQL of one findPeople() call is
 * captured at the driver client (node-postgres pool or PGlite instance), then each statement that
 * reads `people` is re-run under EXPLAIN (ANALYZE, BUFFERS) with the same parameters.
 */
import type { Database } from '../../src/platform/db/client.js';

type Captured = { text: string; params: unknown[] };
type QueryFn = (...args: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;
type Client = { query: QueryFn };

/** The raw driver client behind Drizzle (`$client`: pg.Pool or PGlite). */
function rawClient(database: Database): Client {
  return (database.db as unknown as { $client: Client }).$client;
}

/** Runs `work` and returns every statement it sent through the client. */
export async function captureQueries(database: Database, work: () => Promise<unknown>): Promise<Captured[]> {
  const client = rawClient(database);
  const original = client.query;
  const captured: Captured[] = [];
  client.query = function (this: unknown, ...args: unknown[]) {
    const [first, second] = args;
    if (typeof first === 'string') captured.push({ text: first, params: Array.isArray(second) ? second : [] });
    else if (first && typeof first === 'object' && 'text' in first) {
      const config = first as { text: string; values?: unknown[] };
      captured.push({ text: config.text, params: Array.isArray(second) ? second : (config.values ?? []) });
    }
    return original.apply(this, args);
  } as QueryFn;
  try {
    await work();
  } finally {
    // The wrapper is an own property; removing it restores the prototype method.
    delete (client as Partial<Client>).query;
    if (client.query !== original) client.query = original;
  }
  return captured;
}

export type PlanSummary = {
  /** "page" (rows) or "count" (total). */
  statement: string;
  planningMs: number | null;
  executionMs: number | null;
  usesGinIndex: boolean;
  /** Node types from the top of the plan, e.g. "Limit > Sort > Bitmap Heap Scan > Bitmap Index Scan". */
  shape: string;
  plan: string;
};

export async function explainCaptured(database: Database, statements: Captured[]): Promise<PlanSummary[]> {
  const client = rawClient(database);
  const summaries: PlanSummary[] = [];
  for (const s of statements) {
    if (!/from "people"/i.test(s.text) || /^\s*insert/i.test(s.text)) continue;
    const result = await client.query(`explain (analyze, buffers) ${s.text}`, s.params);
    const lines = result.rows.map((r) => String(r['QUERY PLAN'] ?? Object.values(r)[0]));
    const plan = lines.join('\n');
    const time = (label: string) => {
      const m = new RegExp(`${label} Time: ([\\d.]+) ms`).exec(plan);
      return m ? Number(m[1]) : null;
    };
    const shape = lines
      .map((l) => /^\s*(?:->\s*)?([A-Z][A-Za-z ]+?)(?: on | using |\s+\(|$)/.exec(l)?.[1]?.trim())
      .filter(
        (n): n is string =>
          Boolean(n) &&
          !/^(Planning|Execution|Buffers|Sort Method|Recheck Cond|Filter|Index Cond|Heap Blocks|Rows Removed|Sort Key|Hash Cond|Output)/.test(
            n!,
          ),
      )
      .join(' > ');
    summaries.push({
      statement: /count\(/i.test(s.text) ? 'count' : 'page',
      planningMs: time('Planning'),
      executionMs: time('Execution'),
      usesGinIndex: plan.includes('people_search_idx'),
      shape,
      plan,
    });
  }
  return summaries;
}
